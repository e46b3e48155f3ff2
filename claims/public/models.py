"""The read model: what the public reads, stored as it is served.

Every row here is derived: written by ``claims.public.refresh`` in the transaction of the write
that changes what the public may read (an editor's approval or withdrawal, the publication of an
article's changes, the seed), from the frozen versions alone (``PublishedVersion`` with the
sources it froze, ``PublishedEvidence``, ``ArticleVersion``), never from a working copy. A desk
edit of a claim, a source, an outlet or an article changes nothing here until an editor approves.
``manage.py refresh_public`` rebuilds it; ``--check`` says which rows would differ.

The columns are the public's names for what it filters, orders and searches by (the API's query
parameters and ordering fields map onto them one to one: ``PUBLIC_CLAIM_COLUMNS`` and the like);
``api``, ``claimreview`` and the ``page_*`` columns hold the bytes served (JSON without the
links, which carry the request's host; the status page's blocks as HTML).
"""

from django.db import models


class PublicClaim(models.Model):
    """One claim as the public reads it: its live published version (withdrawn ones too: they
    keep a public notice)."""

    id = models.BigIntegerField(primary_key=True, help_text="The claim's id.")
    version = models.PositiveIntegerField(help_text="The live published version's number.")
    in_force = models.BooleanField(
        db_index=True, help_text="A verdict in force (not withdrawn): in the feed."
    )
    article_id = models.BigIntegerField(db_index=True)
    article_slug = models.CharField(max_length=200, db_index=True)
    outlet_id = models.BigIntegerField(null=True, db_index=True)
    state = models.CharField(max_length=20, db_index=True)
    claimant = models.CharField(max_length=300, blank=True)
    wording = models.TextField()
    quote = models.TextField()
    rationale = models.TextField(blank=True)
    quote_start = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True, help_text="When its public version changed.")
    first_published_at = models.DateTimeField()
    # The feed's date: the latest approval of the claim or of the article it reads in.
    modified_at = models.DateTimeField()
    api = models.TextField(help_text="The API's representation, without its links (JSON).")
    claimreview = models.TextField(
        blank=True, help_text="The ClaimReview after its url (JSON); empty when none."
    )
    page_title = models.TextField()
    page_description = models.TextField()
    page_content = models.TextField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["updated_at", "id"], name="public_claim_updated")]

    def __str__(self) -> str:
        return f"Public claim #{self.id}"


class PublicArticle(models.Model):
    """An article with at least one verdict in force, as an editor last approved it."""

    id = models.BigIntegerField(primary_key=True, help_text="The article's id.")
    slug = models.CharField(max_length=200, unique=True)
    outlet_id = models.BigIntegerField(null=True, db_index=True)
    outlet_name = models.CharField(max_length=200, blank=True)
    headline = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)
    # The dashboard's row: its verdicts in force counted by state, and when it or one of them
    # was last approved.
    state_counts = models.JSONField(default=dict)
    total = models.PositiveIntegerField(default=0)
    last_activity = models.DateTimeField(db_index=True)
    outlet_copy = models.TextField(blank=True, help_text="Its outlet as approved (JSON), or empty.")
    api = models.TextField(help_text="The API's representation, without its links (JSON).")
    page_title = models.TextField()
    page_description = models.TextField()
    page_content = models.TextField()

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.slug


class PublicSlug(models.Model):
    """An address the public once read an article at: it redirects to the article's public one."""

    slug = models.CharField(max_length=200, primary_key=True)
    article_id = models.BigIntegerField()

    def __str__(self) -> str:
        return self.slug


class PublicSource(models.Model):
    """A source that a verdict in force cites, or that one of those rests on, as the latest
    such approval froze it."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=30)
    outlet_id = models.BigIntegerField(null=True, db_index=True)
    on_record = models.BooleanField()
    published_on = models.DateField(null=True)
    updated_at = models.DateTimeField()
    outlet_copy = models.TextField(blank=True, help_text="Its outlet as approved (JSON), or empty.")
    api = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Public source #{self.id}"


class PublicOutlet(models.Model):
    """An outlet of a public source or article, as the latest approval that shows it froze it."""

    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    api = models.TextField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PublicCitation(models.Model):
    """Which public claim shows which source (cited, or rested on): what a refresh of a claim
    looks at to bring the public sources up to date."""

    claim_id = models.BigIntegerField()
    source_id = models.BigIntegerField(db_index=True)
    approved_at = models.DateTimeField(help_text="When the claim's public version was approved.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim_id", "source_id"], name="public_citation_unique")
        ]

    def __str__(self) -> str:
        return f"Claim #{self.claim_id} shows source #{self.source_id}"


class PublicState(models.Model):
    """The read model's state (one row): its generation, a new random value at every write that
    changes a row of it (so that a database restored from a backup, or a test's, never shows an
    old value for other rows), and what the ClaimReview feed's validators depend on (how many verdicts it lists,
    the highest id, the latest change to one of them or to the article it reads in, the latest
    approval, and a digest of every byte it lists). Written with the rows
    (``claims.public.sync``): a read looks it up, instead of passing over every verdict, and a
    server may keep what it answered for a generation (``claims.public.memory``), since the same
    generation is the same rows."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.CharField(max_length=32)
    count = models.PositiveIntegerField()
    last_id = models.BigIntegerField(null=True)
    modified = models.DateTimeField(null=True)
    claims = models.DateTimeField(null=True, help_text="The latest approval of a verdict listed.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the listed ids and reviews.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="public_state_one_row")
        ]

    def __str__(self) -> str:
        return f"The read model, generation {self.generation[:8]}"
