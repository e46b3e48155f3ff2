from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims.visibility import is_desk_member


class ReadAnyoneWriteByRole(BasePermission):
    """Anyone reads (what they may see is scoped by the views). Writing needs a token or a staff
    session (with CSRF) of a desk member holding the model permission; the services check the
    finer rules (only editors approve)."""

    message = "Your account may read but not write: writing needs a fact-checker's or an editor's account."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not is_desk_member(user):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        needed = getattr(view, "write_permission", None)
        if needed is None and model is not None:
            action = "add" if request.method == "POST" else "change"
            needed = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        return needed is None or user.has_perm(needed)
