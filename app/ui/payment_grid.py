"""The keyboard-first payment grid: a QTableView with editing delegates.

- Typing on a cell edits it; F2 too. Tab / Enter commit the cell and move to the next editable
  cell, Shift+Tab to the previous one; leaving the last cell of the last line starts a new
  line with Business Central's defaults (``PaymentsModel.create_line``).
- On an empty journal, Enter, Tab or Down starts the first line; Shift+Tab does not.
- A refused value keeps the editor open with the user's text, a red frame and the reason as
  tooltip at the cell; the reason also goes to the status bar (``message`` signal). Escape
  gives the old value back. Nothing is written.
- Customer numbers complete over the company's customers (number and name in the list);
  applies-to invoice numbers over the line's customer's open invoices.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from app.ui.formats import date_edit_format, format_amount, format_date, from_qdate, to_qdate
from app.ui.models.lazy import Index

if TYPE_CHECKING:  # the database layers load after the window shows (app.ui.app)
    from app.db import Database
    from app.ui.models.tables import PaymentsModel

EditHint = QAbstractItemDelegate.EndEditHint
NAVIGATION_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter)
REFUSED_STYLE = "border: 2px solid #c00000;"


class PairListModel(QAbstractListModel):
    """(code, label) pairs for a completer: it matches and inserts the code (EditRole) and
    its popup shows code and label (DisplayRole)."""

    def __init__(self, pairs: list[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pairs = pairs

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.pairs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.pairs):
            return None
        code, label = self.pairs[index.row()]
        if role == Qt.ItemDataRole.EditRole:
            return code
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{code}    {label}"
        return None


class CustomerDirectory(QObject):
    """The company's customers (number, name) for completion, loaded once per company."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = PairListModel([], self)
        self._key: tuple[int, uuid.UUID] | None = None

    def load(self, db: Database, company_id: uuid.UUID, *, force: bool = False) -> None:
        from app.services import browse

        key = (id(db), company_id)
        if key == self._key and not force:
            return
        self._key = key
        self.model.beginResetModel()
        self.model.pairs = browse.customer_names(db, company_id)
        self.model.endResetModel()

    def invalidate(self) -> None:
        self._key = None


class CellLineEdit(QLineEdit):
    """A line editor that finishes with Tab / Enter even when a completer popup handed it the
    key (the popup sends keys straight to ``event()``, past the delegate's event filter)."""

    finish = Signal(QWidget, EditHint)

    def __init__(self, parent: QWidget, upper: bool) -> None:
        super().__init__(parent)
        self._upper = upper
        if upper:
            self.textEdited.connect(self._upper_case)

    def _upper_case(self, text: str) -> None:
        if text != text.upper():
            position = self.cursorPosition()
            self.setText(text.upper())
            self.setCursorPosition(position)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event).key()
            if key in NAVIGATION_KEYS:
                self.finish.emit(self, _hint_for(key))
                return True
        return super().event(event)


def _hint_for(key: int) -> EditHint:
    return EditHint.EditPreviousItem if key == Qt.Key.Key_Backtab else EditHint.EditNextItem


class PaymentDelegate(QStyledItemDelegate):
    def __init__(self, customers: CustomerDirectory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.customers = customers

    @staticmethod
    def _model(index: Index) -> PaymentsModel:
        return cast("PaymentsModel", index.model())

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        model = self._model(index)
        column = model.columns[index.column()]
        if column.key == "postingDate":
            editor: QWidget = QDateEdit(parent)
            date_editor = cast(QDateEdit, editor)
            date_editor.setDisplayFormat(date_edit_format())
            date_editor.setCalendarPopup(True)
            return editor
        line = CellLineEdit(parent, column.upper)
        line.finish.connect(self._finish)
        if column.max_length:
            line.setMaxLength(column.max_length)
        if column.kind == "amount":
            line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column.key == "customerNumber" and model.edits is not None:
            self.customers.load(model.edits.db, model.edits.company_id)
            line.setCompleter(_completer(self.customers.model, line))
        elif column.key == "appliesToInvoiceNumber" and model.edits is not None:
            from app.services import browse
            from app.services.browse import BrowseQuery

            row = model.row_at(index.row())
            query = BrowseQuery(company_id=model.edits.company_id, open_only=True,
                                customer_id=row.customer_id if row else None, sort="dueDate")
            invoices = browse.page_invoices(model.edits.db, query, 0, 1000)
            pairs = [(i.number, f"{i.customer_name}  due {format_date(i.due_date)}  "
                      f"{format_amount(i.remaining_amount)}") for i in invoices]
            line.setCompleter(_completer(PairListModel(pairs, line), line))
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        model = self._model(index)
        if isinstance(editor, QDateEdit):
            row = model.row_at(index.row())
            if row is not None and row.posting_date is not None:
                editor.setDate(to_qdate(row.posting_date))
            return
        if isinstance(editor, QLineEdit):
            editor.setText(str(model.data(index, Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QDateEdit):
            model.setData(index, from_qdate(editor.date()), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QWidget):
            key = cast(QKeyEvent, event).key()
            if key in NAVIGATION_KEYS:
                self._finish(editor, _hint_for(key))
                return True
        return super().eventFilter(editor, event)

    def _finish(self, editor: QWidget, hint: EditHint) -> None:
        """Commit now (synchronously) and move on: Enter behaves as Tab, as in BC."""
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, hint)


def _completer(model: QAbstractListModel, parent: QObject) -> QCompleter:
    completer = QCompleter(model, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionRole(Qt.ItemDataRole.EditRole)
    completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
    completer.setMaxVisibleItems(12)
    _widen_popup(completer, model)
    return completer


POPUP_MAX_WIDTH = 720
POPUP_SAMPLE = 2000  # rows measured for the popup's width (a big customer list stays quick)


def _widen_popup(completer: QCompleter, model: QAbstractListModel) -> None:
    """The popup as wide as its widest entry (number, name, due date, remaining amount), not
    cut to the column's width."""
    popup = completer.popup()
    if popup is None:
        return
    metrics = popup.fontMetrics()
    widest = 0
    for row in range(min(model.rowCount(), POPUP_SAMPLE)):
        text = str(model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole) or "")
        widest = max(widest, metrics.horizontalAdvance(text))
    scroll = popup.verticalScrollBar().sizeHint().width()
    popup.setMinimumWidth(min(POPUP_MAX_WIDTH, widest + scroll + 4 * metrics.averageCharWidth()))


class PaymentGridView(QTableView):
    """The journal lines. ``message`` carries refusals and hints to the status bar."""

    message = Signal(str)

    def __init__(self, customers: CustomerDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentsView")
        self.setItemDelegate(PaymentDelegate(customers, self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().hide()

    def payments(self) -> PaymentsModel | None:
        model = self.model()
        return cast("PaymentsModel", model) if getattr(model, "editRefused", None) else None

    # --- navigation ------------------------------------------------------------------------
    def _editable_columns(self) -> list[int]:
        model = self.payments()
        if model is None:
            return []
        return [c for c, spec in enumerate(model.columns)
                if spec.editable and not self.isColumnHidden(c)]

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        model = self.payments()
        if model is None or action not in (QAbstractItemView.CursorAction.MoveNext,
                                           QAbstractItemView.CursorAction.MovePrevious):
            return super().moveCursor(action, modifiers)
        columns = self._editable_columns()
        current = self.currentIndex()
        if not columns:
            return super().moveCursor(action, modifiers)
        if not current.isValid():
            return model.index(0, columns[0]) if model.rowCount() else QModelIndex()
        row, column = current.row(), current.column()
        # The columns in visual order, so moved columns are followed as shown.
        ordered = sorted(columns, key=self.horizontalHeader().visualIndex)
        position = self.horizontalHeader().visualIndex(column)
        if action == QAbstractItemView.CursorAction.MoveNext:
            later = [c for c in ordered if self.horizontalHeader().visualIndex(c) > position]
            if later:
                return model.index(row, later[0])
            if row + 1 < model.rowCount():
                return model.index(row + 1, ordered[0])
            return self.start_new_line()
        earlier = [c for c in ordered if self.horizontalHeader().visualIndex(c) < position]
        if earlier:
            return model.index(row, earlier[-1])
        if row > 0:
            return model.index(row - 1, ordered[-1])
        return current

    def start_new_line(self) -> QModelIndex:
        """A new line with the defaults; returns its first editable cell."""
        model = self.payments()
        columns = self._editable_columns()
        if model is None or model.edits is None or not columns:
            return QModelIndex()
        try:
            row = model.create_line()
        except Exception as exc:  # a domain error (journal deleted meanwhile, ...)
            from app.domain.errors import DomainError

            if not isinstance(exc, DomainError):
                raise
            self.message.emit(exc.message)
            return QModelIndex()
        first = sorted(columns, key=self.horizontalHeader().visualIndex)[0]
        return model.index(row, first)

    def new_line_and_edit(self) -> None:
        """The New Line command: start a line at the end and edit its first cell."""
        if self.state() == QAbstractItemView.State.EditingState:
            self.commit_editor()
        index = self.start_new_line()
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)
            self.edit(index)

    def commit_editor(self) -> None:
        """Commit the open editor, if any (Save)."""
        editor = self.indexWidget(self.currentIndex()) or self.focusWidget()
        if self.state() == QAbstractItemView.State.EditingState and editor is not None:
            self.commitData(editor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.payments()
        key = event.key()
        if model is not None and model.edits is not None \
                and self.state() != QAbstractItemView.State.EditingState:
            # Only a forward key starts the first line: Shift+Tab (back) must not.
            if model.rowCount() == 0 and key in (Qt.Key.Key_Tab, Qt.Key.Key_Return,
                                                 Qt.Key.Key_Enter, Qt.Key.Key_Down) \
                    and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.new_line_and_edit()
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.moveCursor(QAbstractItemView.CursorAction.MoveNext,
                                        event.modifiers())
                if index.isValid():
                    self.setCurrentIndex(index)
                    self.edit(index)
                return
        super().keyPressEvent(event)

    # --- refused input ---------------------------------------------------------------------
    def closeEditor(self, editor: QWidget, hint: EditHint) -> None:
        model = self.payments()
        refusal = model.last_refusal if model is not None else None
        if model is not None:
            model.last_refusal = None
        if refusal is not None and hint != EditHint.RevertModelCache:
            self._show_refusal(editor, refusal)
            if hint != EditHint.NoHint:
                return  # keep the editor open with the user's text
            hint = EditHint.RevertModelCache
        if isinstance(editor, QWidget):
            editor.setStyleSheet("")
        super().closeEditor(editor, hint)

    def _show_refusal(self, editor: QWidget, message: str) -> None:
        editor.setStyleSheet(REFUSED_STYLE)
        editor.setToolTip(message)
        editor.setFocus()
        rect = self.visualRect(self.currentIndex())
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), message,
                          self.viewport())
        self.message.emit(message)

    def current_payment_id(self) -> uuid.UUID | None:
        model = self.payments()
        if model is None:
            return None
        row = model.row_at(self.currentIndex().row())
        return row.id if row is not None else None

    def selected_rows(self) -> list[int]:
        rows: set[int] = set()
        if self.selectionModel() is not None:  # by ranges: Ctrl+A must not list every cell
            selection = self.selectionModel().selection()
            for number in range(selection.count()):
                selected = selection.at(number)
                rows.update(range(selected.top(), selected.bottom() + 1))
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def focus_cell(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)
