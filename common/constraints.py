"""Constraint violations said beside the field they are about.

Django reports a violated constraint that spans several fields (or an expression, such as a
case-insensitive unique name) as an error of the whole form: the admin shows it only in the red
box at the top, far from the field to fix. A model that names, for such a constraint, the field
a person changes to satisfy it has the error shown there instead (and at the top where that
field is not on the form).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router


class ConstraintErrorsOnFields:
    """Mix into a model before ``models.Model``; ``constraint_error_fields`` maps a constraint's
    name to the field its violation is shown beside."""

    constraint_error_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_error_fields.get(constraint.name)
                    if field is None and error.code == "unique" and len(constraint.fields) == 1:
                        field = constraint.fields[0]  # as Django itself does
                    if field is None or (exclude and field in exclude):
                        field = NON_FIELD_ERRORS
                    errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)
