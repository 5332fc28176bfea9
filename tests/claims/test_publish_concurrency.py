"""Two publishers pressing publish at once produce one publication and one clean refusal."""

import threading

from django.db import connections

from claims.models import Claim
from claims.workflow import (
    TransitionError,
    approve_answer,
    publish_answer,
    submit_answer,
    verify_claim,
)
from courtinfo.models import Answer, Publication
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, UserFactory
from tests.races import POSTGRES_RACE

pytestmark = POSTGRES_RACE


def test_concurrent_publishers_produce_one_publication():
    writer = UserFactory(username="writer", groups=["Editors"], password=None)
    checker = UserFactory(username="checker", groups=["Reviewers"], password=None)
    publishers = [
        UserFactory(username=f"publisher{i}", groups=["Publishers"], password=None)
        for i in range(2)
    ]
    answer = AnswerFactory()
    for i in range(3):
        CitationFactory(claim=ClaimFactory(answer=answer, position=i))
    submit_answer(answer, by=writer)
    for claim in answer.claims.all():
        verify_claim(claim, by=checker, verdict=Claim.Status.SUPPORTED)
    approve_answer(answer, by=checker)

    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[object] = []
    lock = threading.Lock()

    def press_publish(by):
        # Each thread has its own connection and so its own transaction.
        try:
            copy = Answer.objects.get(pk=answer.pk)
            barrier.wait()
            result = publish_answer(copy, by=by, summary=f"By {by.username}.")
        except TransitionError as error:
            result = error
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=press_publish, args=(p,)) for p in publishers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2
    published = [o for o in outcomes if isinstance(o, Publication)]
    refused = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(published) == 1 and len(refused) == 1
    assert "published" in str(refused[0]), str(refused[0])
    assert Publication.objects.filter(answer=answer).count() == 1
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED
    assert answer.live_publication == published[0]
    assert published[0].version == 1
