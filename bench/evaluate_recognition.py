#!/usr/bin/env python3
"""Scores a sweep worklist against the generator's ground truth, per category.

    bench/evaluate_recognition.py TRUTH.csv WORKLIST.ndjson

A true case of a category is a truth row whose scenario belongs to that category (for think
family, only adults whose expected level is `prompt`, i.e. with children at home; for known to
social care, a row with a register status). It is found when the worklist lists the
attendance with a finding of that category at or above the category's catalogue level:
consider for maltreatment categories, prompt for think family, review for frequent attendance
and known to social care. PPV is the share of attendances listed with such a finding that are
true cases of the category. "per 1,000" counts those listed attendances per 1,000 attendances.
Standard library only; prints a Markdown table.
"""
import csv
import json
import sys

LEVELS = {"audit": -1, "none": 0, "review": 1, "prompt": 2, "consider": 3, "suspect": 4}

# scenario -> (category, categories whose findings count as finding it)
SCENARIOS = {
    "bruise_non_mobile_infant": "bruising",
    "ten4_facesp_bruise": "bruising",
    "patterned_bruise": "bruising",
    "fracture_under_18_months": "fracture",
    "burn_scald_suspicious": "burn",
    "human_bite": "bite",
    "animal_bite_unsupervised": "bite",
    "intracranial_infant": "head_injury",
    "poisoning_young_child": "poisoning",
    "oral_injury": "oral_injury",
    "self_harm_adolescent": "self_harm",
    "sti_under_13": "sexual_abuse",
    "pregnancy_under_16": "sexual_abuse",
    "anogenital_injury": "sexual_abuse",
    "neglect_presentation": "neglect",
    "brue_infant": "fabricated_illness",
    "pibis_well_infant": "head_injury",
    "adult_domestic_abuse": "think_family",
    "adult_substance_misuse": "think_family",
    "adult_mental_health_crisis": "think_family",
    "frequent_attender": "frequent_attendance",
}
# An animal bite with poor supervision is neglect in the catalogue (CG89); either counts.
ALSO_COUNTS = {"bite": {"neglect"}}

CATEGORY_LEVEL = {"think_family": "prompt", "frequent_attendance": "review",
                  "known_to_social_care": "review"}
ORDER = ["bruising", "fracture", "burn", "bite", "head_injury", "poisoning", "oral_injury",
         "sexual_abuse", "neglect", "fabricated_illness", "self_harm", "think_family",
         "frequent_attendance", "known_to_social_care"]


def target_level(category):
    return LEVELS[CATEGORY_LEVEL.get(category, "consider")]


def true_categories(row):
    found = set()
    category = SCENARIOS.get(row["scenario"])
    if category == "think_family":
        if row["expected_level"] == "prompt":
            found.add(category)
    elif category:
        found.add(category)
    if row["register_status"]:
        found.add("known_to_social_care")
    return found


def flagged_categories(item):
    """Categories with a finding at or above their catalogue level."""
    flagged = set()
    for finding in item["findings"]:
        level = LEVELS.get(finding["level"], -1)
        category = finding["category"]
        if level >= target_level(category):
            flagged.add(category)
    for category, extra in ALSO_COUNTS.items():
        for finding in item["findings"]:
            if finding["category"] in extra and LEVELS[finding["level"]] >= target_level(category):
                flagged.add(category)
    return flagged


def main():
    truth_path, worklist_path = sys.argv[1], sys.argv[2]
    truth = {}
    with open(truth_path, newline="") as f:
        for row in csv.DictReader(f):
            truth[(row["site"], row["attendance_id"])] = row
    listed = {}
    with open(worklist_path) as f:
        for line in f:
            item = json.loads(line)
            listed[(item["site"], item["attendance_id"])] = item
    total = len(truth)
    rows = []
    for category in ORDER:
        cases = {k for k, r in truth.items() if category in true_categories(r)}
        flagged = {k for k, item in listed.items() if category in flagged_categories(item)}
        found = cases & flagged
        on_list = {k for k in cases if k in listed}
        by_form = {}
        for k in cases:
            form = truth[k]["signal_form"] or "-"
            hit, n = by_form.get(form, (0, 0))
            by_form[form] = (hit + (k in found), n + 1)
        rows.append((category, len(cases), len(found), len(on_list), len(flagged),
                     len(flagged & cases), by_form))

    def pct(a, b):
        return "n/a" if b == 0 else f"{100.0 * a / b:.1f}%"

    print(f"attendances: {total}; worklist items: {len(listed)} "
          f"({1000.0 * len(listed) / max(total, 1):.1f} per 1,000)\n")
    print("| category | level | true cases | sensitivity | listed at any level | PPV | "
          "flagged per 1,000 | sensitivity by signal form |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for category, n, found, on_list, flagged, true_flagged, by_form in rows:
        forms = ", ".join(f"{form} {pct(h, m)} ({h}/{m})" for form, (h, m) in sorted(by_form.items()))
        level = CATEGORY_LEVEL.get(category, "consider")
        print(f"| {category} | {level}+ | {n} | {pct(found, n)} | {pct(on_list, n)} | "
              f"{pct(true_flagged, flagged)} | {1000.0 * flagged / max(total, 1):.2f} | {forms} |")
    levels = {}
    for item in listed.values():
        levels[item["level"]] = levels.get(item["level"], 0) + 1
    print("\nworklist by level: " + ", ".join(
        f"{level} {levels.get(level, 0)} ({1000.0 * levels.get(level, 0) / max(total, 1):.1f} per 1,000)"
        for level in ("suspect", "consider", "prompt", "review")))
    routine_listed = sum(1 for k in listed if k in truth and not true_categories(truth[k]))
    print(f"listed attendances that are no true case of any category: {routine_listed} "
          f"({pct(routine_listed, len(listed))} of the worklist)")


if __name__ == "__main__":
    main()
