"""The needs surveys' writes. Another app writes to surveys only through here."""

from linli.surveys.services.responses import response_submit

__all__ = ["response_submit"]
