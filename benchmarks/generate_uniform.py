"""A second, deliberately different generator: members drawn uniformly from small lists.

benchmarks/generate.py draws realistic programs (skewed occupations, cities, schools, friend
circles); this one draws every field uniformly and independently, with capacities from 1 to 4
and random friendships, so that blocks tuned on one do not carry over by luck.

    python benchmarks/generate_uniform.py --members 5000 --seed 3 -o /tmp/u5000.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys

OCCUPATIONS = ["Registered Nurse", "Software Engineer", "Accountant", "High School Teacher",
               "Data Analyst", "Paralegal", "Civil Engineer", "Pharmacist", "Graphic Designer",
               "Electrician", "Marketing Manager", "Physical Therapist", "Chef", "Architect",
               "Social Worker", "Web Developer", "Financial Analyst", "Dental Hygienist"]
CITIES = ["Boston", "Seattle, WA", "Cambridge, MA", "Chicago", "Portland, OR", "Austin, TX",
          "Denver", "Atlanta", "Miami", "San Diego", "Phoenix", "Minneapolis", "Toronto",
          "London", "Berlin", "Sydney"]
SCHOOLS = ["MIT", "UCLA", "University of Washington", "NYU", "Stanford", "University of Toronto",
           "Georgia Tech", "University of Michigan", ""]
TOPICS = ["chess", "python", "grant writing", "hiking", "public speaking", "design", "cooking",
          "running", "photography", "investing", "gardening", "music", "writing", "travel"]
LANGUAGES = ["English", "Spanish", "French", "German", "Mandarin", "Hindi"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    ids = [f"u{i:06d}" for i in range(args.members)]
    with open(args.output, "w", newline="", encoding="utf-8") if args.output else \
            open(sys.stdout.fileno(), "w", closefd=False) as out:
        _write(csv.writer(out), rnd, ids)


def _write(writer, rnd: random.Random, ids: list[str]) -> None:
    writer.writerow(["id", "name", "role", "occupation", "schools", "location", "interests",
                     "languages", "capacity", "friends"])
    for member_id in ids:
        role = rnd.choices(["mentee", "mentor", "both"], weights=[6, 3, 1])[0]
        writer.writerow([
            member_id, f"Person {member_id}", role, rnd.choice(OCCUPATIONS), rnd.choice(SCHOOLS),
            rnd.choice(CITIES), ";".join(rnd.sample(TOPICS, rnd.randint(0, 4))),
            ";".join(rnd.sample(LANGUAGES, rnd.randint(1, 2))),
            rnd.randint(1, 4) if role != "mentee" else "",
            ";".join(f for f in rnd.sample(ids, rnd.randint(0, 3)) if f != member_id)])


if __name__ == "__main__":
    main()
