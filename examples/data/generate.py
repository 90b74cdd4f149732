"""Generates the example datasets (deterministic): a reference (training) set and a newer batch
whose income distribution has shifted. Run: python3 examples/data/generate.py  (needs numpy)."""
import csv
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).parent
REGIONS = ["EU", "US", "APAC", "LATAM"]


def write(path, rows, seed, income_shift, region_p):
    rng = np.random.default_rng(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "age", "income", "region", "account_days", "email", "signup_date", "is_fraud"])
        for i in range(rows):
            age = int(rng.integers(18, 91))
            income = "" if rng.random() < 0.02 else f"{rng.lognormal(10.5 + income_shift, 0.5):.2f}"
            region = REGIONS[rng.choice(4, p=region_p)]
            days = int(rng.exponential(400))
            email = f"user{seed}_{i}@example.com"
            signup = np.datetime64("2020-01-01") + np.timedelta64(int(rng.integers(0, 1800)), "D")
            risk = 0.02 + 0.35 * (days < 30) + 0.10 * (age < 25)
            fraud = int(rng.random() < risk)
            w.writerow([seed * 100000 + i, age, income, region, days, email, str(signup), fraud])


write(HERE / "reference.csv", 2000, 1, 0.0, [0.4, 0.35, 0.2, 0.05])
write(HERE / "current.csv", 1000, 2, 0.25, [0.35, 0.35, 0.25, 0.05])
