"""Serializer fields with the bounds every input needs: an id fits the database's id column,
a date lies between crm.validation's EARLIEST_DATE and LATEST_DATE."""

from rest_framework import serializers

from crm.validation import name_characters, sane_date

MAX_ID = 2**63 - 1  # BigAutoField


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class BoundedDateField(serializers.DateField):
    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), sane_date]
        super().__init__(**kwargs)


class BoundedDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), sane_date]
        super().__init__(**kwargs)


class NameField(serializers.CharField):
    """One line of text that names something: no control characters."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), name_characters]
        super().__init__(**kwargs)
