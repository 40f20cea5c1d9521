"""Generated Arabic news articles for scale tests and benchmarks (no corpus text).

Sentences are filled in from small hand-written templates with varied names, places, numbers
and dates, so articles differ from one another the way news does (several outlets, stories
spread over days), and :func:`templated_duplicates` gives many near-identical articles (one
template, a few words changed) — the worst case of the near-duplicate detector.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

PEOPLE = [
    "أحمد الخطيب",
    "سامي العلي",
    "ليلى حسن",
    "محمد الشمري",
    "هدى المصري",
    "خالد يوسف",
    "نادية سليم",
    "عمر الحسيني",
    "رنا الزعبي",
    "يوسف الكردي",
    "مريم العتيبي",
    "طارق عيسى",
]
ROLES = [
    "وزير الخارجية",
    "وزير المالية",
    "المتحدث باسم الحكومة",
    "رئيس البرلمان",
    "محافظ البنك المركزي",
    "وزير الزراعة",
    "مدير الهيئة",
    "السفير",
]
PLACES = [
    "بغداد",
    "القاهرة",
    "عمان",
    "بيروت",
    "الرياض",
    "الخرطوم",
    "تونس",
    "الرباط",
    "دمشق",
    "صنعاء",
    "الدوحة",
    "مسقط",
    "الجزائر",
    "طرابلس",
    "أبوظبي",
    "الكويت",
]
TOPICS = [
    "المفاوضات",
    "الموازنة العامة",
    "أسعار الوقود",
    "موسم الحصاد",
    "الانتخابات",
    "مشروع الطريق السريع",
    "إصلاح التعليم",
    "شبكة الكهرباء",
    "المساعدات الإنسانية",
    "اتفاق التجارة",
    "خطة الإسكان",
    "أزمة المياه",
    "قطاع السياحة",
    "الاستثمار الأجنبي",
]
OUTLETS = ["الراصد", "المساء", "الأفق", "النبأ", "الوادي", "الميدان", "الضفاف", "وانا"]
VERBS = ["أعلن", "أكد", "كشف", "أوضح", "ذكر"]
TEMPLATES = [
    "{verb} {role} {person} في {place} أن {topic} ستشهد تطورات مهمة خلال الأيام المقبلة.",
    "وقال {person} إن الحكومة خصصت {n} مليون دولار لدعم {topic} في {place}.",
    "وأضاف أن {n2} شخصا شاركوا في الاجتماع الذي عقد يوم {day} بحضور ممثلين عن عدة جهات.",
    "وأشارت مصادر مطلعة إلى أن {topic} تواجه صعوبات بسبب ارتفاع التكاليف بنسبة {p} بالمئة.",
    'من جهته، قال {person2} إن "الوضع يتطلب تعاون الجميع من أجل تجاوز هذه المرحلة".',
    "وكانت {place2} قد استضافت في وقت سابق جولة من المحادثات حول {topic2} دون نتائج تذكر.",
    "ويتوقع خبراء أن ترتفع الأسعار في الأسواق المحلية خلال الربع {q} من العام الجاري.",
    "وشدد {role2} على أهمية الشفافية في إدارة {topic2} وتوزيع الموارد بشكل عادل.",
    "وبلغ عدد المستفيدين من البرنامج نحو {n3} ألف أسرة في {place} والمناطق المجاورة.",
    "وذكرت وكالة الأنباء الرسمية أن الاجتماع المقبل سيعقد في {place2} يوم {day2}.",
]
DAYS = ["الأحد", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]
QUARTERS = ["الأول", "الثاني", "الثالث", "الرابع"]


def _fill(rng: random.Random, template: str, story: dict) -> str:
    return template.format(
        verb=rng.choice(VERBS),
        role=story["role"],
        role2=rng.choice(ROLES),
        person=story["person"],
        person2=rng.choice(PEOPLE),
        place=story["place"],
        place2=rng.choice(PLACES),
        topic=story["topic"],
        topic2=rng.choice(TOPICS),
        n=rng.randint(2, 900),
        n2=rng.randint(10, 5000),
        n3=rng.randint(1, 300),
        p=rng.randint(2, 60),
        day=rng.choice(DAYS),
        day2=rng.choice(DAYS),
        q=rng.choice(QUARTERS),
    )


def articles(n: int, seed: int = 1, start: date = date(2024, 1, 1)) -> Iterator[dict]:
    """``n`` article records (``id``, ``title``, ``text``, ``source``, ``date``) in date order:
    about ten articles a day, grouped into stories of a few articles each."""
    rng = random.Random(seed)
    story: dict = {}
    for i in range(n):
        if i % 4 == 0:
            story = {
                "role": rng.choice(ROLES),
                "person": rng.choice(PEOPLE),
                "place": rng.choice(PLACES),
                "topic": rng.choice(TOPICS),
            }
        k = rng.randint(5, len(TEMPLATES))
        sents = [_fill(rng, t, story) for t in rng.sample(TEMPLATES, k)]
        paras = ["\n".join(sents[j : j + 3]) for j in range(0, len(sents), 3)]
        day = start + timedelta(days=i // 10)
        yield {
            "id": f"gen-{i}",
            "title": f"{story['topic']} في {story['place']}: {story['person']} يتحدث",
            "text": "\n\n".join(paras),
            "source": rng.choice(OUTLETS),
            "date": day.isoformat(),
        }


def templated_duplicates(n: int, seed: int = 2) -> Iterator[dict]:
    """``n`` near-identical articles: one long template with two slots changed per article,
    all of the same day and spread over outlets."""
    rng = random.Random(seed)
    story = {"role": ROLES[0], "person": PEOPLE[0], "place": PLACES[0], "topic": TOPICS[0]}
    base = [_fill(random.Random(seed), t, story) for t in TEMPLATES]
    for i in range(n):
        sents = list(base)
        sents[2] = f"وأضاف أن {1000 + i} شخصا شاركوا في الاجتماع الذي عقد يوم {DAYS[i % 7]}."
        sents[8] = f"وبلغ عدد المستفيدين من البرنامج نحو {rng.randint(1, 300)} ألف أسرة."
        yield {
            "id": f"dup-{i}",
            "title": "بيان الحكومة حول المفاوضات",
            "text": "\n".join(sents),
            "source": OUTLETS[i % len(OUTLETS)],
            "date": "2024-03-01",
        }


def write_jsonl(path: str | Path, records) -> Path:
    path = Path(path)
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":  # python -m marsad.evaluate.synthetic N OUT.jsonl [dups]
    import sys

    n, out = int(sys.argv[1]), sys.argv[2]
    gen = templated_duplicates if sys.argv[3:4] == ["dups"] else articles
    write_jsonl(out, gen(n))
