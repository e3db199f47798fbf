"""Saving an answer with 10, 1 000 and 10 000 users on disk: the cost must not grow.

Each chat has its own file, so an answer costs the same whatever the number of users. Measured
in-process through ``Assistant.handle`` (load the chat, run the turn, save durably with
fsync), for randomly chosen users who each type the answer their current question expects,
the same mix of journey steps at every size; each user's file is put back afterwards so that
every sample is a fresh answer.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from benchmarks import datagen
from benchmarks.measure import percentile
from benchmarks.report import Report, ms
from bot.service import Assistant
from bot.storage import TinyDBStorage
from flows.conversation import Text
from flows.questions import current_question


def typed_answers() -> dict[str, str]:
    keys = [key for key, _ in datagen.FRENCH_BUSINESS_CASE]
    texts = datagen.typed_script(keys[0])
    return dict(zip(keys, texts, strict=False))


def saving(report: Report, quick: bool) -> None:
    samples = 80 if quick else 300
    sizes = (10, 1000, 10000)
    answers = typed_answers()
    templates = [t for t in datagen.mixed_templates()
                 if t.current is not None
                 and (q := current_question(t.current, t.asking)) is not None
                 and q.key in answers]
    rng = random.Random(3)
    section = "Saving an answer"
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder:
        data = Path(folder)
        assistant = Assistant(TinyDBStorage(data), lambda: datagen.NOW)
        chats: list[int] = []
        update_id = 10**9
        # Users by the point of the journey they are at: every size is sampled with the same
        # sequence of points (a rights step costs more than a name), so only the size differs.
        by_template: list[list[int]] = [[] for _ in templates]
        points: list[int] = []  # the points the smallest size has users at
        for size in sizes:
            added = datagen.populate(data, templates, size - len(chats),
                                     first_chat=datagen.FIRST_CHAT + len(chats))
            for n, chat in enumerate(added):
                by_template[n % len(templates)].append(chat)
            chats += added
            points = points or [k for k, users in enumerate(by_template) if users]
            walls, cpus = [], []
            for chat in [rng.choice(by_template[points[i % len(points)]])
                         for i in range(samples)]:
                path = data / "chats" / str(chat) / "chat.json"  # TinyDB's file, put back
                before = path.read_bytes()
                account = assistant.account(str(chat))
                assert account.current is not None
                question = current_question(account.current, account.asking)
                assert question is not None
                update_id += 1
                wall0, cpu0 = time.perf_counter(), time.process_time()
                reply = assistant.handle(str(chat), Text(answers[question.key]), "fr",
                                         update_id)
                walls.append(time.perf_counter() - wall0)
                cpus.append(time.process_time() - cpu0)
                assert reply is not None, question.key
                assert reply.changed, (question.key, reply)
                path.write_bytes(before)
            report.add(section, f"{size:>6,} users: p50 / p95 (CPU mean)".replace(",", " "),
                       f"{ms(percentile(walls, 50))} / {ms(percentile(walls, 95))}", "",
                       f"{sum(cpus) / len(cpus) * 1000:.2f} ms CPU; load, turn, fsync'd save")
