"""Admin inlines whose autocomplete fields render without a query per row.

Django's autocomplete widget looks up the label of its selected object with one query per
widget, so an inline of forty evidence rows costs forty queries (eighty when the label names the
outlet too). The inline's own queryset already holds those objects (select_related), so the
formset hands their labels to the widgets and the page costs the same whatever its length.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet


class PreloadedAutocompleteSelect(AutocompleteSelect):
    preloaded: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.preloaded or not selected <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            options.append(self.create_option(name, key, self.preloaded[key], True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteFormSet(BaseInlineFormSet):
    preloaded_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_name in self.preloaded_fields:
            labels = {}
            for obj in self.get_queryset():
                related = getattr(obj, field_name)
                labels[str(related.pk)] = str(related)
            for form in self.forms:
                widget = getattr(form.fields[field_name].widget, "widget", None)
                if isinstance(widget, PreloadedAutocompleteSelect):
                    widget.preloaded = labels


class PreloadedAutocompleteInline(admin.options.InlineModelAdmin):
    """Mix into an inline: ``autocomplete_fields`` listed in ``preloaded_fields`` take their
    labels from the inline's queryset (which must select_related them)."""

    formset = PreloadedAutocompleteFormSet
    preloaded_fields: tuple[str, ...] = ()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.preloaded_fields = self.preloaded_fields
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.preloaded_fields:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
