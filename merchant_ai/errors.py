"""Typed errors with plain messages for a shop owner.

Every error the core raises on purpose is a MerchantError. The CLI maps BadInputError to
exit code 2 (nothing changed); the GUI shows `message` in a dialog. Never classify an error
by matching its text: use these types.
"""


class MerchantError(Exception):
    """Base of all expected errors; `message` is one plain sentence for the shop owner."""

    exit_code = 1

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadInputError(MerchantError):
    """The user's input (a file, an argument, a date) cannot be used. Nothing was changed."""

    exit_code = 2


class UnknownFormatError(BadInputError):
    """An import file whose layout we cannot recognise."""


class StoreError(MerchantError):
    """The local database cannot be opened, migrated or written."""


class ModelUnavailableError(MerchantError):
    """A model file is missing, corrupt or incompatible; other capabilities keep working."""


class FeatureMismatchError(ModelUnavailableError):
    """The features given to a model are not the ones (or not in the order) it was trained on."""


class NotEnoughDataError(BadInputError):
    """The store holds too little history for the analysis asked for."""


class CancelledError(MerchantError):
    """Long work stopped because the user pressed Cancel; nothing was changed."""


class BadRuleError(BadInputError):
    """A risk rule the merchant wrote cannot be read; the message says what to change."""
