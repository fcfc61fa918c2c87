#!/usr/bin/env python3
"""Writes a synthetic register upload CSV of N entries (docs/register.md columns) and the list
of its NHS numbers, for the point-of-care lookup benchmark.
   bench/make_register.py N REGISTER.csv NUMBERS.txt
NHS numbers are in the 999 test range (never issued to patients), with valid check digits;
names come from a short fixed list. Deterministic: the same N gives the same files."""
import sys


def nhs_numbers():
    serial = 0
    while True:
        digits = "999" + str(1000000 + serial)[1:]
        serial += 1
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits))
        check = (11 - total % 11) % 11
        if check != 10:
            yield digits + str(check)


def main():
    count, register_path, numbers_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    given = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Ivy", "Maya"]
    family = ["Smith", "Jones", "Taylor", "Brown", "Khan", "Patel", "Nowak", "Evans"]
    statuses = ["cp_plan", "looked_after", "child_in_need", "cp_plan"]
    numbers = nhs_numbers()
    with open(register_path, "w") as register, open(numbers_path, "w") as listed:
        register.write("id,nhs_number,given_name,family_name,birth_date,sex,postcode,status,"
                       "plan_category,start_date,end_date,responsible_org,contact_in_hours,"
                       "contact_out_of_hours,allocated_worker,mother_nhs_number\n")
        for i in range(count):
            number = next(numbers)
            listed.write(number + "\n")
            birth = "20%02d-%02d-%02d" % (8 + i % 18, 1 + i % 12, 1 + i % 28)
            register.write("B%d,%s,%s,%s,%s,%s,XB%d 1AA,%s,neglect,2026-01-02,,LA-NORTH,"
                           "01632 960%03d,01632 960%03d,Worker %d,\n" %
                           (i, number, given[i % 8], family[(i // 8) % 8], birth,
                            "female" if i % 2 else "male", i % 9, statuses[i % 4], i % 1000,
                            (i + 500) % 1000, i % 97))


if __name__ == "__main__":
    main()
