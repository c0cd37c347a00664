"""Seeded, deterministic generator of realistic process specs for the benchmark.

Each spec is shaped like the bundled examples (process_specs/small-business.yaml):
roles, channels, commitments, publication, records, a receive → record →
acknowledge → assess front, then an investigation made of blocks (choices that
rejoin, parallel blocks with a join, bounded review loops), a respond step with
an independent review stage, close, and the improvement loop. Step durations are
short so the commitments hold: a generated spec is valid and clean under the
default packs (the benchmark checks this), so the timing covers every check.

Also writes the large scaling specs (a chain of choices: exponentially many
paths) from the generator the tests use. No data is downloaded.

    python benchmarks/generate.py OUT_DIR [--count 1000] [--steps 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

_WORDS = ("billing", "delivery", "repair", "refund", "account", "service", "warranty", "order",
          "booking", "contract", "payment", "installation", "meter", "claim", "policy", "tenancy")
_UNITS = ("hour", "hours")


def _takes(rng: random.Random) -> str:
    hours = rng.choice((1, 1, 2, 2, 3, 4))
    return f"{hours} {_UNITS[hours > 1]}"


def _header(rng: random.Random, index: int) -> dict[str, Any]:
    word = rng.choice(_WORDS)
    return {
        "plaint": 1,
        "process": {
            "id": f"{word}-complaints-{index:04d}",
            "title": f"{word.title()} complaints, unit {index}",
            "version": f"{1 + index % 4}.{index % 10}",
            "description": f"How unit {index} takes, answers and learns from complaints about {word}.",
            "owner": "head-of-complaints",
            "scope": {"covers": ["products", "services", "staff-conduct"],
                      "excludes": ["employment", "external-disputes"]},
            "calendar": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "holidays": "GB-ENG"},
            "commitments": [
                {"name": "acknowledge", "from": "receive", "to": "acknowledge", "within": "2 working days",
                 "description": "Complainants hear that we have their complaint within two working days."},
                {"name": "first-response", "from": "receive", "to": "respond", "within": "20 working days",
                 "description": "A full answer within twenty working days."},
            ],
            "publication": [
                {"medium": "website", "where": f"https://unit-{index}.example/complaints",
                 "includes": ["how-to-complain", "channels", "procedure", "timescales", "options",
                              "external-referral", "assistance", "charges"]},
                {"medium": "notice", "where": "At every counter",
                 "includes": ["how-to-complain", "channels"]},
            ],
            "records": {"reference": "unique", "retention": f"{rng.choice((2, 3, 6))} years",
                        "access": "head-of-complaints"},
        },
        "roles": {
            "front-desk": {"title": "Front desk", "description": "Whoever answers the customer first."},
            "case-handler": {"title": "Case handler", "description": "Looks into complaints and answers."},
            "specialist": {"title": "Specialist",
                           "description": "Technical checks the case handler asks for."},
            "head-of-complaints": {"title": "Head of complaints", "senior": True,
                                   "description": "Accountable for complaint handling; reviews answers."},
        },
        "channels": {
            "counter": {"kind": "in-person", "title": "At the counter", "where": f"{index} High Street",
                        "free": True, "hours": "Mon-Fri 09:00-17:00",
                        "assistance": ["advocate", "large-print"]},
            "phone": {"kind": "phone", "where": "0800 000 0000", "free": True,
                      "hours": "Mon-Fri 08:00-20:00"},
            "email": {"kind": "email", "where": f"complaints@unit-{index}.example", "free": True},
        },
    }


def _investigation(rng: random.Random, budget: int, start: str, end: str) -> dict[str, Any]:
    """Steps from ``start`` (an investigate step) to ``end``, about ``budget`` of them."""
    steps: dict[str, Any] = {}
    prev, i = start, 0
    steps[start] = {"kind": "investigate", "title": "Open the investigation", "owner": "case-handler",
                    "independent_of": ["front-desk"], "takes": _takes(rng)}
    while len(steps) < budget - 2:
        block = rng.choice(("choice", "choice", "parallel", "loop", "task"))
        a, b, j = f"check-{i}-a", f"check-{i}-b", f"step-{i}"
        topic = rng.choice(_WORDS)
        if block == "choice":
            steps[prev]["next"] = [{"to": a, "when": f"the {topic} records are needed"},
                                   {"to": b, "when": "otherwise"}]
            steps[a] = {"kind": "task", "title": f"Pull the {topic} records", "owner": "case-handler",
                        "takes": _takes(rng), "next": j}
            steps[b] = {"kind": "task", "title": f"Note why no {topic} records", "owner": "case-handler",
                        "takes": _takes(rng), "next": j}
            steps[j] = {"kind": "task", "title": f"Summarise the {topic} evidence", "owner": "case-handler",
                        "takes": _takes(rng)}
        elif block == "parallel":
            steps[prev]["next"] = {"parallel": [a, b]}
            steps[a] = {"kind": "investigate", "title": f"Check the {topic} history", "owner": "specialist",
                        "independent_of": ["front-desk"], "takes": _takes(rng), "next": j}
            steps[b] = {"kind": "communicate", "title": "Update the complainant", "owner": "case-handler",
                        "tells": ["progress"], "takes": "1 hour", "next": j}
            steps[j] = {"kind": "task", "title": "Bring the findings together", "owner": "case-handler",
                        "join": "all", "takes": _takes(rng)}
        elif block == "loop":
            steps[prev]["next"] = a
            steps[a] = {"kind": "investigate", "title": f"Test the {topic} claim", "owner": "specialist",
                        "independent_of": ["front-desk"], "takes": _takes(rng), "next": b}
            steps[b] = {"kind": "review", "title": "Check the test", "owner": "head-of-complaints",
                        "independent_of": ["specialist"], "takes": "1 hour",
                        "next": [{"to": a, "when": "the test was incomplete", "max": rng.choice((1, 2))},
                                 {"to": j, "when": "otherwise"}]}
            steps[j] = {"kind": "task", "title": "Record the test result", "owner": "case-handler",
                        "takes": _takes(rng)}
        else:
            steps[prev]["next"] = j
            steps[j] = {"kind": "task", "title": f"Ask about the {topic}", "owner": "case-handler",
                        "takes": _takes(rng)}
        prev, i = j, i + 1
    steps[prev]["next"] = end
    return steps


def spec(index: int, steps: int = 60, seed: int = 1) -> dict[str, Any]:
    """One realistic spec of about ``steps`` steps, the same for the same arguments."""
    rng = random.Random(f"{seed}:{index}")
    data = _header(rng, index)
    front: dict[str, Any] = {
        "receive": {"kind": "receive", "title": "Take the complaint", "owner": "front-desk",
                    "channels": ["counter", "phone", "email"], "next": "record"},
        "record": {"kind": "record", "title": "Log it", "owner": "front-desk", "takes": "1 hour",
                   "next": "acknowledge"},
        "acknowledge": {"kind": "acknowledge", "title": "Acknowledge the complaint", "owner": "case-handler",
                        "takes": "2 hours",
                        "tells": ["reference", "handler-contact", "timescale", "procedure"],
                        "next": "assess"},
        "assess": {"kind": "assess", "title": "Decide what kind of matter it is", "owner": "case-handler",
                   "takes": "1 hour",
                   "next": [{"to": "redirect-employment", "when": "a member of staff raises a grievance"},
                            {"to": "redirect-external", "when": "the customer has already gone to court"},
                            {"to": "investigate", "when": "otherwise"}]},
        "redirect-employment": {"kind": "redirect", "title": "Pass to the grievance procedure",
                                "owner": "head-of-complaints", "to_procedure": "Staff grievance procedure",
                                "matters": ["employment"]},
        "redirect-external": {"kind": "redirect", "title": "Pass to the external-disputes procedure",
                              "owner": "head-of-complaints", "to_procedure": "External disputes procedure",
                              "matters": ["external-disputes"]},
    }
    back: dict[str, Any] = {
        "respond": {"kind": "respond", "title": "Give our answer", "owner": "case-handler",
                    "takes": "2 hours",
                    "tells": ["decision", "reasons", "remedy", "escalation-options"],
                    "next": [{"to": "senior-review", "when": "the complainant is still dissatisfied"},
                             {"to": "close", "when": "otherwise"}]},
        "senior-review": {"kind": "review", "title": "Senior review", "owner": "head-of-complaints",
                          "independent_of": ["case-handler", "specialist"], "takes": "1 working day",
                          "next": "final-response"},
        "final-response": {"kind": "respond", "title": "Final answer", "owner": "head-of-complaints",
                           "takes": "2 hours",
                           "tells": ["decision", "reasons", "remedy", "external-referral"],
                           "next": "close"},
        "close": {"kind": "close", "title": "Close the complaint", "owner": "case-handler",
                  "feeds": ["monthly-analysis", "satisfaction-question"]},
        "satisfaction-question": {"kind": "satisfaction", "title": "Ask how we handled it",
                                  "owner": "case-handler", "feeds": ["monthly-analysis"]},
        "monthly-analysis": {"kind": "analyse", "title": "Monthly analysis", "owner": "head-of-complaints",
                             "every": "month", "takes": "2 hours", "feeds": ["quarterly-review", "improve"]},
        "self-audit": {"kind": "audit", "title": "Annual audit", "owner": "head-of-complaints",
                       "every": "year", "takes": "3 hours", "feeds": ["quarterly-review"]},
        "quarterly-review": {"kind": "management-review", "title": "Quarterly review",
                             "owner": "head-of-complaints", "every": "quarter", "takes": "1 hour",
                             "feeds": ["improve"]},
        "improve": {"kind": "improve", "title": "Change what needs changing", "owner": "head-of-complaints"},
    }
    middle = _investigation(rng, steps - len(front) - len(back), "investigate", "respond")
    data["steps"] = {**front, **middle, **back}
    return data


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, width=110, allow_unicode=True)


def write_specs(folder: Path, count: int, steps: int = 60, seed: int = 1) -> list[Path]:
    """``count`` specs in ``folder`` (created), named spec-0000.yaml and on."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"spec-{index:04d}.yaml"
        path.write_text(dump(spec(index, steps, seed)), encoding="utf-8")
        paths.append(path)
    return paths


def big_spec(steps: int) -> dict[str, Any]:
    """A spec of ``steps`` steps with exponentially many paths (the tests' generator)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_timing import big_process  # one generator for tests and benchmark

    return big_process(steps)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write_specs(args.out, args.count, args.steps, args.seed)


if __name__ == "__main__":
    main()
