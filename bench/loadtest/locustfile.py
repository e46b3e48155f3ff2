"""Load for `make loadtest` (Locust, headless, against the production server on 127.0.0.1).

- Readers (anonymous): the claims list, an article page, a claim page, the ClaimReview feed.
- Desk writers (a fact-checker's token): read a claim, change its state with If-Match (a 412
  when another writer got there first is expected and counted apart), add evidence.
- Floor pair (a desk token): the claims list and its floor (bench/loadtest/urls.py), in turn, so
  that their throughputs compare in the same run.
"""

import os
import random

from locust import HttpUser, between, task

TOKEN = os.environ["LOADTEST_TOKEN"]
SLUG = os.environ["LOADTEST_ARTICLE_SLUG"]
# Readers read published claims; writers work on the others (a state change unpublishes nothing
# the readers expect to find).
CLAIM_IDS = [int(pk) for pk in os.environ["LOADTEST_CLAIM_IDS"].split(",")]
DESK_CLAIM_IDS = [int(pk) for pk in os.environ["LOADTEST_DESK_CLAIM_IDS"].split(",")]
STATES = ["in_progress", "disputed", "unverifiable"]


class Reader(HttpUser):
    weight = 6
    wait_time = between(0.05, 0.2)

    @task(4)
    def claims_list(self):
        self.client.get("/api/v1/claims/", name="read: claims list")

    @task(2)
    def article_page(self):
        self.client.get(f"/articles/{SLUG}/", name="read: article page")

    @task(2)
    def claim_page(self):
        self.client.get(f"/claims/{random.choice(CLAIM_IDS)}/", name="read: claim page")

    @task(1)
    def feed(self):
        self.client.get("/api/v1/claimreview/", name="read: ClaimReview feed")


class DeskWriter(HttpUser):
    weight = 2
    wait_time = between(0.1, 0.3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {TOKEN}"

    @task(3)
    def change_state(self):
        pk = random.choice(DESK_CLAIM_IDS)
        read = self.client.get(f"/api/v1/claims/{pk}/", name="write: read claim")
        if read.status_code != 200:
            return
        to_state = random.choice([s for s in STATES if s != read.json()["state"]])
        with self.client.post(
            f"/api/v1/claims/{pk}/state/",
            json={"state": to_state, "reason": "Load test.", "change_note": "Load test."},
            headers={"If-Match": read.headers.get("ETag", "")},
            name="write: state change (If-Match)",
            catch_response=True,
        ) as response:
            # Another writer changed the claim between our read and our write: refused with 412
            # by the If-Match check, or with 409 when both passed it at once and the service's
            # version check caught the second. Both are what the writer is meant to be told.
            if response.status_code in (409, 412):
                response.success()
                self.environment.events.request.fire(
                    request_type="POST",
                    name=f"write: {response.status_code} expected (changed meanwhile)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )

    @task(1)
    def add_evidence(self):
        # A new source each time: a source is linked to a claim once (the database says so).
        source = self.client.post(
            "/api/v1/sources/",
            json={"title": f"Load-test document {random.getrandbits(48)}", "kind": "document"},
            name="write: add source",
        )
        if source.status_code != 201:
            return
        self.client.post(
            "/api/v1/evidence/",
            json={
                "claim": random.choice(DESK_CLAIM_IDS),
                "source": source.json()["id"],
                "stance": "context",
                "excerpt": "Load test.",
            },
            name="write: add evidence",
        )


class FloorPair(HttpUser):
    weight = 2
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {TOKEN}"

    @task
    def both(self):
        self.client.get("/api/v1/claims/", name="pair: claims list (desk)")
        self.client.get("/bench/floor/claims/", name="pair: floor (.values() + orjson)")
