"""Each desk member's notifications in the admin: their own list (nobody sees another's), opened
one by one (opening marks it read and leads to the claim), and their email preference, which
they change themselves on the same page."""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from claims.visibility import is_desk_member

from . import selectors, services
from .models import Notification


class ReadFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("1", "Unread"), ("0", "Read")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["_what", "created_at", "_email"]
    list_display_links = None
    list_filter = [ReadFilter, "kind"]
    list_per_page = 50
    show_full_result_count = False
    actions = None
    change_list_template = "admin/notifications/notification/change_list.html"

    # Every desk member has a list of their own: no model permission needed, and nothing to add,
    # change or delete (what they were told stays as it was told).
    def has_module_permission(self, request):
        return is_desk_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_desk_member(request.user) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return selectors.notifications_of(request.user)

    @admin.display(description="notification")
    def _what(self, notification):
        url = reverse("admin:notifications_notification_open", args=[notification.pk])
        body = notification.body
        if len(body) > 200:
            body = body[:200].rsplit(" ", 1)[0] + " …"
        return format_html(
            '<a class="notification{}" href="{}">{}</a>{}',
            " notification--unread" if notification.is_unread else "",
            url,
            notification.title,
            format_html('<span class="notification__body">{}</span>', body) if body else "",
        )

    @admin.display(description="email")
    def _email(self, notification):
        if notification.emailed_at:
            return f"sent {notification.emailed_at:%Y-%m-%d %H:%M}"
        return notification.get_email_status_display()

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/open/", wrap(self.open_view), name="notifications_notification_open"),
            path(
                "read/",
                wrap(require_POST(self.mark_all_read_view)),
                name="notifications_notification_read",
            ),
            path(
                "email/",
                wrap(require_POST(self.email_view)),
                name="notifications_notification_email",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Your notifications",
            **(extra_context or {}),
            "email_on": selectors.email_on(request.user),
            "email_address": request.user.email,
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # There is nothing to change: a notification's page is what it tells of.
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:notifications_notification_open", object_id)

    def open_view(self, request, pk):
        """Opening a notification marks it read and leads to its claim. A GET, so that the link
        in the email does it too: it changes nothing but the reader's own "read"."""
        if not is_desk_member(request.user):
            raise Http404
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.open_notification(notification=notification, reader=request.user)
        if notification.claim_id:
            return redirect("admin:claims_claim_change", notification.claim_id)
        return redirect("admin:index")

    def mark_all_read_view(self, request):
        if not is_desk_member(request.user):
            raise Http404
        count = services.mark_all_read(reader=request.user)
        self.message_user(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
        return redirect("admin:notifications_notification_changelist")

    def email_view(self, request):
        if not is_desk_member(request.user):
            raise Http404
        wanted = request.POST.get("email") == "on"
        services.set_email_preference(user=request.user, email=wanted)
        if wanted and not request.user.email:
            self.message_user(
                request,
                "Email is on, but your account has no address: ask your desk lead to add one.",
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                "You get an email for each notification."
                if wanted
                else "No more email: your notifications are listed here only.",
            )
        return redirect("admin:notifications_notification_changelist")
