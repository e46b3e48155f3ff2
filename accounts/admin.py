"""The desk lead's pages: desk members (one form adds a fact-checker or an editor) and their API
tokens (issued, named, expired and revoked here; the key shown once, on the page that answers
the form, and never stored). Every write goes through ``accounts.services``."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from claims.visibility import desk_person

from . import services
from .models import ApiToken, DeskMember
from .services import Role

# The library's own key model is not used (tokens are ApiToken, tied to a desk account): its admin
# page would only show an empty, confusing second list of "API keys".
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


# -- desk members ------------------------------------------------------------------------------


class DeskMemberForm(forms.ModelForm):
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text="Fact-checkers record claims and evidence and send verdicts to review; editors "
        "also approve, send back and withdraw them.",
    )

    class Meta:
        model = DeskMember
        fields = ["first_name", "last_name", "email", "username"]
        help_texts = {
            "username": "They sign in with it, and the desk mentions them as @username.",
            "email": "The invitation to set their password goes here, then their notifications.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        if self.instance.pk:
            role = services.role_of(self.instance)
            self.fields["role"].initial = role.value if role else None

    def clean(self):
        data = super().clean()
        member = self.instance if self.instance.pk else None
        username = data.get("username") or (member.username if member else "")
        for field, sentence in services.desk_member_problems(
            username=username, email=data.get("email") or "", member=member
        ).items():
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, sentence)
        return data


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=Role(self.value()).group_name)
        return queryset


@admin.action(description="Send a new invitation to set a password")
def invite_again(modeladmin, request, queryset):
    sent = []
    for member in queryset:
        if member.has_usable_password():
            modeladmin.message_user(
                request,
                f"No invitation for {member.username}: they have set a password already.",
                messages.WARNING,
            )
            continue
        services.invite_again(author=request.user, member=member)
        sent.append(member.username)
    if sent:
        modeladmin.message_user(request, f"A new invitation is on its way to {', '.join(sent)}.")


@admin.register(DeskMember)
class DeskMemberAdmin(admin.ModelAdmin):
    """Fact-checkers and editors (superusers are not desk members here: a lead who is not one
    cannot change them)."""

    form = DeskMemberForm
    list_display = ["_name", "username", "email", "_role", "is_active", "_password", "_tokens"]
    list_filter = ["is_active", RoleFilter]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    actions = [invite_again]
    readonly_fields = ["username", "_tokens_here"]
    add_fieldsets = [(None, {"fields": ["first_name", "last_name", "email", "username", "role"]})]
    change_fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "username", "role", "is_active"]}),
        ("API tokens", {"fields": ["_tokens_here"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(is_staff=True, is_superuser=False)
            .prefetch_related("groups")
            .annotate(
                usable_tokens=Count(
                    "api_tokens", filter=Q(api_tokens__revoked=False), distinct=True
                )
            )
        )

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["fields"] = ["first_name", "last_name", "email", "is_active"]
        return super().get_form(request, obj, change, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Who did what stays named: a member who leaves is made inactive, not deleted.
        return False

    @admin.display(description="name", ordering="last_name")
    def _name(self, member):
        return member.get_full_name() or "—"

    @admin.display(description="role")
    def _role(self, member):
        role = services.role_of(member)
        return role.label if role else "—"

    @admin.display(description="password")
    def _password(self, member):
        return "set" if member.has_usable_password() else "invited (not set yet)"

    @admin.display(description="usable tokens", ordering="usable_tokens")
    def _tokens(self, member):
        return member.usable_tokens

    @admin.display(description="tokens")
    def _tokens_here(self, member):
        tokens = member.api_tokens.order_by("-created")
        issue = reverse("admin:accounts_apitoken_add") + f"?user={member.pk}"
        rows = format_html_join(
            "",
            '<li><a href="{}">{}… “{}”</a>: {}</li>',
            (
                (
                    reverse("admin:accounts_apitoken_change", args=[t.pk]),
                    t.prefix,
                    t.name,
                    _token_status(t),
                )
                for t in tokens
            ),
        )
        listed = format_html("<ul>{}</ul>", rows) if rows else "No tokens."
        return format_html(
            '{}<p><a class="addlink" href="{}">Issue an API token</a></p>', listed, issue
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.change_desk_member(
                author=request.user,
                member=obj,
                email=data["email"],
                role=data["role"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                is_active=data.get("is_active", obj.is_active),
            )
            return
        created = services.add_desk_member(
            author=request.user,
            username=data["username"],
            email=data["email"],
            role=data["role"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        obj.pk = created.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # the role is the only relation, set by the service

    def response_add(self, request, obj, post_url_continue=None):
        member = DeskMember.objects.get(pk=obj.pk)
        role = services.role_of(member)
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        self.message_user(
            request,
            f"{desk_person(member)} is on the desk as "
            f"{role.with_article if role else 'a desk member'}. An invitation to set a password "
            f"is on its way to {member.email} (its link works once, for {days} "
            f"day{'s' if days != 1 else ''}).",
        )
        return HttpResponseRedirect(reverse("admin:accounts_deskmember_change", args=[member.pk]))


def _token_status(token: ApiToken) -> str:
    if token.revoked:
        return "revoked"
    if token.has_expired:
        return "expired"
    if token.expiry_date:
        return f"expires {token.expiry_date:%Y-%m-%d %H:%M} UTC"
    return "does not expire"


# -- API tokens --------------------------------------------------------------------------------


class IssueTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expiry_date"]
        labels = {"name": "Name", "expiry_date": "Expires"}
        help_texts = {
            "name": "Who or what holds it (“newsroom CMS”, “Fiona's script”).",
            "expiry_date": "Leave empty for a token that does not expire.",
        }

    issued_by = None  # the desk lead issuing it (ApiTokenAdmin.get_form)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        if self.issued_by is not None and not self.issued_by.is_superuser:
            people = people.filter(is_superuser=False)
        self.fields["user"].queryset = people
        self.fields["name"].required = True

    def clean(self):
        data = super().clean()
        if data.get("user"):
            for field, sentence in services.token_problem(
                user=data["user"], expires_at=data.get("expiry_date"), issued_by=self.issued_by
            ).items():
                self.add_error(field, sentence)
        return data


class ChangeTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expiry_date", "revoked"]
        labels = {"expiry_date": "Expires", "revoked": "Revoke this token"}
        help_texts = {"revoked": "It stops working at once, for good (this cannot be undone)."}

    def clean_expiry_date(self):
        expiry = self.cleaned_data.get("expiry_date")
        if expiry is not None and "expiry_date" in self.changed_data:
            problem = services.token_problem(
                user=self.instance.user, expires_at=expiry, issued_by=None
            )
            if "expiry_date" in problem:
                raise forms.ValidationError(problem["expiry_date"])
        return expiry


@admin.action(description="Revoke the selected tokens")
def revoke_tokens(modeladmin, request, queryset):
    for token in queryset.filter(revoked=False):
        services.revoke_token(token=token)
    modeladmin.message_user(request, "The selected tokens are revoked: they no longer work.")


@admin.register(ApiToken)
class ApiTokenAdmin(APIKeyModelAdmin):
    """Only the prefix is ever shown (the key itself is not stored). A token issued here is shown
    once, on the page that answers the form; revoking ends it for good."""

    list_display = ["prefix", "name", "user", "created", "expiry_date", "_has_expired", "revoked"]
    list_filter = ["revoked", "created"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    actions = [revoke_tokens]

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        if not request.user.is_superuser:
            tokens = tokens.filter(user__is_superuser=False)
        return tokens

    def has_change_permission(self, request, obj=None):
        # A revoked token is a record: its page shows it, nothing on it changes any more.
        if obj is not None and obj.revoked:
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ChangeTokenForm if obj else IssueTokenForm
        form = super().get_form(request, obj, change, **kwargs)
        form.issued_by = request.user  # a class made for this request
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expiry_date"]
        return ["prefix", "user", "name", "expiry_date", "revoked"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.revoked:
            return ["prefix", "user", "name", "expiry_date", "revoked"]
        return ["prefix", "user"]

    def get_changeform_initial_data(self, request):
        return {"user": request.GET.get("user")}

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.change_token(
                token=obj,
                name=data.get("name", obj.name),
                expires_at=data.get("expiry_date"),
                revoke=bool(data.get("revoked")),
            )
            return
        token, key = services.issue_token(
            user=data["user"],
            name=data["name"],
            expires_at=data.get("expiry_date"),
            issued_by=request.user,
        )
        obj.pk, obj.prefix = token.pk, token.prefix
        obj._state.adding = False
        obj.issued_key = key  # in memory for the answer below, never saved

    def response_add(self, request, obj, post_url_continue=None):
        # The key goes into this one answer and nowhere else: not into a message (which the
        # session or a cookie would keep), not into a page anyone can reload from a redirect.
        context = {
            **self.admin_site.each_context(request),
            "title": "API token issued",
            "opts": self.opts,
            "token": ApiToken.objects.select_related("user").get(pk=obj.pk),
            "key": obj.issued_key,
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response
