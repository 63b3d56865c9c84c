"""Forms of the admin console's account pages (users, away periods, teams, API keys). They
check what a person can mistype; the services check everything again."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, Team, User
from .services import MAX_CAPACITY

USERNAME_HELP = _("Letters, digits and @ . + - _ only.")


def _team_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("(no team)"),
    )


def _capacity_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("How many live claims routing may give them. Empty: the team's claim limit."),
    )


class UserForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field()
        self.fields["capacity"] = _capacity_field()


class UserCreateForm(UserForm):
    username = forms.RegexField(
        label=_("Username"), regex=r"^[\w.@+-]+$", max_length=150, help_text=USERNAME_HELP
    )
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    field_order = ["username", "display_name", "email", "password", "role", "team", "capacity"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user with that username already exists."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("username"):
            candidate = User(username=data["username"], display_name=data.get("display_name", ""))
            try:
                validate_password(data["password"], candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class AwayForm(forms.Form):
    """Whole days: from the start of the first to the end of the last (local time)."""

    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                raise ValidationError(_("The last day cannot be before the first."))
            try:
                data["starts_at"] = timezone.make_aware(datetime.combine(starts_on, time.min))
                data["ends_at"] = timezone.make_aware(
                    datetime.combine(ends_on + timedelta(days=1), time.min)
                )
            except OverflowError as exc:
                raise ValidationError(_("Enter a date within the next five years.")) from exc
        return data


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    manager = forms.ModelChoiceField(
        label=_("Manager"),
        queryset=User.objects.filter(
            is_active=True, role__in=[User.Role.MANAGER, User.Role.ADMIN]
        ).order_by("display_name"),
        required=False,
        empty_label=_("(no manager)"),
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiKey._meta.get_field("name").max_length,
        help_text=_("Who uses it, e.g. “Website contact form”."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=ApiKey._meta.get_field("source").max_length,
        help_text=_("Recorded on every customer sent with this key. One live key per source."),
    )
