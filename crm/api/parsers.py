"""Request body parsing: every API door reads JSON through `BoundedJSONParser` (the default
parser class), so no body can crash the server however it is shaped."""

import codecs
import json
import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class BodyTooLarge(exceptions.ParseError):
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BoundedJSONParser(parsers.JSONParser):
    """JSON of at most the view's `max_body_bytes` (else Django's DATA_UPLOAD_MAX_MEMORY_SIZE),
    refused with 400 before it is read; a body nested too deep to parse is a 400 too, not a
    crash (Python's decoder raises RecursionError, which DRF's parser lets through)."""

    def parse(self, stream, media_type=None, parser_context=None):
        view = (parser_context or {}).get("view")
        request = (parser_context or {}).get("request")
        limit = getattr(view, "max_body_bytes", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise BodyTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
        except ValueError as exc:
            # Not JSON, not UTF-8, or a number no column can hold (1e400 reads as infinity).
            raise exceptions.ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from exc
        except LookupError as exc:
            # An unknown charset in the Content-Type (`charset=nope`).
            raise exceptions.ParseError(_("The request's character set is unknown.")) from exc


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")
