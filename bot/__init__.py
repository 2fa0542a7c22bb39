"""newsbot: brand-keyword news alerts for Telegram, Discord and the console."""

__all__ = ["__version__"]

__version__ = "0.1.0"
