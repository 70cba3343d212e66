"""The main window's components, each owning its views and its state:

- ``companies``: the companies and the journals of the selected company (it decides the
  ``Selection``);
- ``payments``: the journal's lines (the grid) and its footer;
- ``lookups``: customers, open invoices, G/L accounts and the posted ledgers (tabs);
- posting: app/ui/panes/posting.py (the Posting menu's commands).

Each pane takes the ``Host`` (app/ui/panes/host.py), never the window class, and re-reads
what it shows in ``apply_changes(changes)``. They talk through the change-sets and the
selection, never through each other's members.
"""
