"""The forms of intake: the three ways in, and the pre-filled article form the desk checks."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.utils.text import slugify

from claims.models import Article
from sources.models import Outlet, OutletKind

from .models import ArticleIntake
from .selectors import outlet_for_site


class AddressForm(forms.Form):
    # A plain text field: the fetcher's own sentence says what is wrong with an address (another
    # scheme, a port), rather than a generic "Enter a valid URL".
    url = forms.CharField(
        label="Web address",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "class": "vURLField"}),
        help_text="The article's page. The background worker fetches it; this page then shows "
        "what it found.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Saved page",
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,text/html"}),
        help_text="An HTML file saved from the browser (“Save page as…”), for a page behind a "
        "paywall or a sign-in.",
    )


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 10, "class": "vLargeTextField"}),
        help_text="The text as published; the headline, byline and the rest are filled in on "
        "the next page.",
    )


def free_slug(headline: str) -> str:
    """A slug from the headline that no article has yet (``-2``, ``-3``... when it is taken)."""
    base = slugify(headline)[:190] or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class ArticleFromIntakeForm(forms.ModelForm):
    """The article as extracted, for the desk to check and correct before it is saved."""

    language = forms.CharField(
        max_length=35,
        required=False,
        help_text="As the page declares it (en, en-GB, fr). Kept with the original.",
    )
    new_outlet_name = forms.CharField(
        label="New outlet",
        max_length=200,
        required=False,
        help_text="No outlet of the tracker is on this site: this one is added with the article. "
        "Used only when no outlet is chosen above; empty it to save the article without one.",
    )
    new_outlet_kind = forms.ChoiceField(
        label="New outlet's kind", choices=OutletKind.choices, initial=OutletKind.ONLINE
    )

    field_order = [
        "headline",
        "slug",
        "byline",
        "outlet",
        "new_outlet_name",
        "new_outlet_kind",
        "url",
        "published_on",
        "language",
        "text",
    ]

    class Meta:
        model = Article
        fields = ["headline", "slug", "byline", "outlet", "url", "published_on", "text"]
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vTextField"}),
            "slug": forms.TextInput(attrs={"class": "vTextField"}),
            "byline": forms.TextInput(attrs={"class": "vTextField"}),
            "url": forms.URLInput(attrs={"class": "vURLField"}),
            "outlet": AutocompleteSelect(Article._meta.get_field("outlet"), admin.site),
            "published_on": AdminDateWidget(),
            "text": forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField"}),
        }

    def __init__(self, *args, intake: ArticleIntake, **kwargs):
        self.intake = intake
        self.matched_outlet = outlet_for_site(intake.host, intake.site_name)
        if "data" not in kwargs and not args:
            kwargs["initial"] = {
                "headline": intake.headline,
                "slug": free_slug(intake.headline) if intake.headline else "",
                "byline": intake.byline,
                "outlet": self.matched_outlet,
                "url": intake.canonical_url or intake.final_url or intake.requested_url,
                "published_on": intake.published_on,
                "text": intake.text,
                "language": intake.language,
                "new_outlet_name": "" if self.matched_outlet else intake.site_name,
            }
        super().__init__(*args, **kwargs)
        self.fields["outlet"].help_text = (
            f"Matched by its site ({intake.host})." if self.matched_outlet else ""
        )
        if self.matched_outlet or not intake.site_name:
            self.fields["new_outlet_name"].help_text = (
                "Only when the article's outlet is not in the tracker yet: its name, added "
                "with the article. Used only when no outlet is chosen above."
            )

    def clean_new_outlet_name(self):
        name = self.cleaned_data["new_outlet_name"].strip()
        if name and not self.cleaned_data.get("outlet"):
            existing = Outlet.objects.filter(name__iexact=name).first()
            if existing is not None:
                raise forms.ValidationError(
                    f"An outlet named “{existing.name}” is already in the tracker: choose it "
                    "above instead."
                )
        return name

    def new_outlet(self) -> Outlet | None:
        """The outlet to add with the article, when none is chosen and one is named."""
        name = self.cleaned_data.get("new_outlet_name")
        if self.cleaned_data.get("outlet") or not name:
            return None
        host = self.intake.host
        return Outlet(
            name=name,
            kind=self.cleaned_data["new_outlet_kind"],
            homepage=f"https://{host}/" if host else "",
        )
