"""OPTIONS describes what a write takes, not what a read returns.

DRF describes the serializer of the view's current action, which for an OPTIONS request is
"metadata": a view with a separate write serializer (claims) was described by its read shape
(id, state and 19 more fields marked required). Here each method is described with the action
it maps to (POST: create, PUT: update), and fields a write does not take are left out."""

from rest_framework.metadata import SimpleMetadata


class WriteShapeMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        action_map = getattr(view, "action_map", None) or {}
        original = getattr(view, "action", None)
        actions = {}
        for method in ("POST", "PUT"):
            if method not in view.allowed_methods:
                continue
            view.action = action_map.get(method.lower(), original)
            try:
                actions.update(super().determine_actions(request, _OneMethod(view, method)))
            finally:
                view.action = original
        return actions

    def get_serializer_info(self, serializer):
        info = super().get_serializer_info(serializer)
        return {name: field for name, field in info.items() if not field.get("read_only")}


class _OneMethod:
    """The view, as seen by SimpleMetadata, allowing only one method at a time."""

    def __init__(self, view, method):
        self._view, self._method = view, method

    @property
    def allowed_methods(self):
        return [self._method]

    def __getattr__(self, name):
        return getattr(self._view, name)

    def __setattr__(self, name, value):
        if name in ("_view", "_method"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._view, name, value)
