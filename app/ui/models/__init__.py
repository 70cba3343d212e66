"""Table models of the main window: lazy pages over the services' query API."""
