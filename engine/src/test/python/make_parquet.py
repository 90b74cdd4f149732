"""Writes the Parquet files (and a CSV twin) that ParquetReaderTest reads.

Usage: make_parquet.py OUT_DIR

Files written (pyarrow, pinned in tools/requirements.txt):
  types.parquet        every physical type and annotation the reader turns into text, with nulls
  int96.parquet        legacy INT96 timestamps (Spark/Impala style)
  table-*.parquet      one 5,000-row table, 5 row groups and many small pages each, written with
                       snappy, zstd, gzip, lz4 (LZ4_RAW), no compression, data page v2, and plain +
                       delta + byte-stream-split encodings instead of dictionaries
  table.csv            the same table written by pandas (to be read by CsvReader)
  nested.parquet       a struct column          list.parquet   a list column
  zero.parquet         no columns at all        no-rows.parquet  columns but no rows
  brotli.parquet       a codec the reader does not support
  timestamps-*.parquet 6,000 rows of timestamps (millis, micros with and without UTC, nanos, a column of few values;
                       nulls) written dictionary-encoded, plain, and as legacy INT96 both ways, with their CSV
                       twins timestamps.csv and timestamps-int96.csv holding the text the reader must give
  dictionary.parquet   20,000 rows of dictionary-encoded text in 3 row groups (few words, over 10,000 keys, text
                       mixed with numbers and NaN), and its CSV twin dictionary.csv
"""
import datetime as dt
import decimal
import os
import sys
import uuid

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def types_table():
    utc = dt.timezone.utc
    return pa.table({
        "i8": pa.array([1, -128, None, 127], pa.int8()),
        "i16": pa.array([2, -32768, None, 32767], pa.int16()),
        "i32": pa.array([3, -2147483648, None, 2147483647], pa.int32()),
        "i64": pa.array([4, -9223372036854775808, None, 9223372036854775807], pa.int64()),
        "u8": pa.array([5, 255, None, 0], pa.uint8()),
        "u16": pa.array([6, 65535, None, 0], pa.uint16()),
        "u32": pa.array([7, 4294967295, None, 0], pa.uint32()),
        "u64": pa.array([8, 18446744073709551615, None, 0], pa.uint64()),
        "f32": pa.array([0.1, -3.4028235e38, None, 1e-05], pa.float32()),
        "f64": pa.array([0.1, 1e16, None, 123456.789], pa.float64()),
        "f64_layout": pa.array([1e-4, 1.5e-5, 1e15, 12345678.9], pa.float64()),
        "f64_special": pa.array([float("nan"), float("inf"), float("-inf"), -0.0], pa.float64()),
        "flag": pa.array([True, False, None, True], pa.bool_()),
        "s": pa.array(["hello", 'quoted, "text"', None, "ünïcödé ✓"], pa.string()),
        "b": pa.array([b"\x00\x01\xff", b"", None, b"abc"], pa.binary()),
        "d": pa.array([dt.date(2024, 2, 29), dt.date(1970, 1, 1), None, dt.date(1900, 12, 31)], pa.date32()),
        "ts_ms": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5, 678000), dt.datetime(1970, 1, 1), None,
                           dt.datetime(1969, 12, 31, 23, 59, 59, 999000)], pa.timestamp("ms")),
        "ts_us_utc": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=utc), dt.datetime(2000, 1, 1, tzinfo=utc),
                               None, dt.datetime(2000, 1, 1, 0, 0, 0, 100000, tzinfo=utc)], pa.timestamp("us", tz="UTC")),
        "ts_ns": pa.array([1704164645123456789, 0, None, -1], pa.timestamp("ns")),
        "ts_ns_paris": pa.array([1704164645000000000, 0, None, 1], pa.timestamp("ns", tz="Europe/Paris")),
        "t_ms": pa.array([dt.time(3, 4, 5, 678000), dt.time(0, 0), None, dt.time(23, 59, 59, 999000)], pa.time32("ms")),
        "t_us": pa.array([dt.time(3, 4, 5, 123456), dt.time(0, 0), None, dt.time(12, 0, 0, 500000)], pa.time64("us")),
        "t_ns": pa.array([11045123456789, 0, None, 1], pa.time64("ns")),
        "dec32": pa.array([decimal.Decimal("1.23"), decimal.Decimal("-0.05"), None, decimal.Decimal("9999999.99")],
                          pa.decimal128(9, 2)),
        "dec64": pa.array([decimal.Decimal("-12345678901.5"), decimal.Decimal("0.0"), None, decimal.Decimal("1.0")],
                          pa.decimal128(18, 1)),
        "dec_big": pa.array([decimal.Decimal("1234567890123456789012.345"), decimal.Decimal("-0.001"), None,
                             decimal.Decimal("100.000")], pa.decimal128(25, 3)),
        "h": pa.array([np.float16(1.5), np.float16(-2.0), None, np.float16(65504.0)], pa.float16()),
        "u": pa.array([uuid.UUID(int=1).bytes, uuid.UUID("12345678-1234-5678-1234-567812345678").bytes, None,
                       uuid.UUID(int=0).bytes], pa.uuid()),
        "cat": pa.array(["a", "b", None, "a"], pa.string()).dictionary_encode(),
    })


def int96_table():
    return pa.table({
        "ts": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5, 123456), dt.datetime(1969, 12, 31, 23, 59, 59), None],
                       pa.timestamp("us")),
    })


def big_frame(rows=5000):
    rng = np.random.default_rng(7)
    qty = pd.array(rng.integers(-1000, 1000, rows), dtype="Int64")
    qty[rng.random(rows) < 0.05] = pd.NA
    decimals = rng.integers(0, 7, rows)
    price = np.array([round(float(v), int(d)) for v, d in zip(rng.lognormal(3, 1.5, rows), decimals)])
    price[rng.random(rows) < 0.05] = np.nan
    score = rng.normal(0, 1, rows) * 10.0 ** rng.integers(-8, 20, rows)  # both plain and exponent layouts
    ratio = rng.random(rows).astype(np.float32)
    ratio[rng.random(rows) < 0.03] = np.nan
    words = np.array(["alpha", "beta", "gamma", "delta, with comma", 'say "hi"', "ünïcödé"])
    name = pd.array(np.char.add(words[rng.integers(0, len(words), rows)], rng.integers(0, 300, rows).astype(str)),
                    dtype="string")
    name[rng.random(rows) < 0.1] = pd.NA
    category = pd.array(np.array(["red", "green", "blue"])[rng.integers(0, 3, rows)], dtype="string")
    return pd.DataFrame({
        "id": np.arange(rows, dtype=np.int64),
        "qty": qty,
        "price": price,
        "score": score,
        "ratio": ratio,
        "name": name,
        "category": category,
    })


def write_tables(out):
    frame = big_frame()
    frame.to_csv(os.path.join(out, "table.csv"), index=False)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    common = dict(row_group_size=1000, data_page_size=512, write_statistics=True)
    pq.write_table(table, os.path.join(out, "table-snappy.parquet"), compression="snappy", **common)
    pq.write_table(table, os.path.join(out, "table-zstd.parquet"), compression="zstd", **common)
    pq.write_table(table, os.path.join(out, "table-gzip.parquet"), compression="gzip", **common)
    pq.write_table(table, os.path.join(out, "table-lz4.parquet"), compression="lz4", **common)
    pq.write_table(table, os.path.join(out, "table-none.parquet"), compression="none", **common)
    pq.write_table(table, os.path.join(out, "table-v2.parquet"), compression="zstd", data_page_version="2.0", **common)
    pq.write_table(table, os.path.join(out, "table-plain.parquet"), compression="snappy", use_dictionary=False,
                   column_encoding={"id": "DELTA_BINARY_PACKED", "qty": "DELTA_BINARY_PACKED",
                                    "price": "BYTE_STREAM_SPLIT", "score": "PLAIN", "ratio": "BYTE_STREAM_SPLIT",
                                    "name": "DELTA_BYTE_ARRAY", "category": "DELTA_LENGTH_BYTE_ARRAY"},
                   **common)


def many_keys(rng, rows):
    """Row groups 1 and 2 (16,000 rows): a third from 50 hot keys, the rest fresh keys, more than the 10,000
    categories kept; row group 3: the hot keys again and 40 late keys, each many times in a small dictionary:
    values not kept that come again, and kept ones, counted once per dictionary id and block."""
    keys, fresh = [], 0
    for i in range(rows):
        if i < 16000 and i % 3 != 0:
            keys.append(f"k{fresh}")
            fresh += 1
        elif i < 16000 or i % 2 == 0:
            keys.append(f"h{i % 50}")
        else:
            keys.append(f"late{rng.integers(0, 40)}")
    return keys


def write_dictionary(out):
    rng = np.random.default_rng(14)
    rows = 20000
    words = np.array(["red", "green", "blue", "cyan", "magenta", "yellow", "black", "white"])
    mixed = np.array(["1", "2.5", "-3", "NaN", "inf", "x", "y", "z", "10", "1e3"])
    frame = pd.DataFrame({
        "word": pd.Series(words[rng.integers(0, len(words), rows)], dtype=object),
        "many": pd.Series(many_keys(rng, rows), dtype=object),
        "mixed": pd.Series(mixed[rng.integers(0, len(mixed), rows)], dtype=object),
    })
    frame.loc[rng.random(rows) < 0.05, "word"] = None
    frame.to_csv(os.path.join(out, "dictionary.csv"), index=False)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), os.path.join(out, "dictionary.parquet"),
                   row_group_size=8000, use_dictionary=True)


def timestamp_text(nanos, utc):
    """The reader's text of a timestamp: ISO-8601, seconds always, the fraction in groups of 3 digits."""
    day, of_day = divmod(int(nanos), 86_400 * 10**9)
    seconds, fraction = divmod(of_day, 10**9)
    text = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat() + "T%02d:%02d:%02d" % (
        seconds // 3600, seconds // 60 % 60, seconds % 60)
    if fraction:
        text += "." + ("%09d" % fraction if fraction % 1000 else "%06d" % (fraction // 1000) if fraction % 10**6
                       else "%03d" % (fraction // 10**6))
    return text + "Z" if utc else text


def write_timestamps(out):
    rng = np.random.default_rng(21)
    rows = 6000
    start = 1_704_067_200 * 10**9  # 2024-01-01, a run of a few days on both sides of the epoch too
    columns = {  # name: (unit, nanoseconds per unit, UTC-adjusted, values in units)
        "ts_ms": ("ms", 10**6, False, np.sort(rng.integers(start // 10**6, start // 10**6 + 5 * 86_400_000, rows))),
        "ts_us_utc": ("us", 10**3, True, rng.integers(-3 * 86_400 * 10**6, 3 * 86_400 * 10**6, rows)),
        "ts_ns": ("ns", 1, False, np.repeat(rng.integers(start, start + 40 * 86_400 * 10**9, rows // 3), 3)),
        "ts_few": ("us", 10**3, False, start // 10**3 + rng.integers(0, 40, rows) * 1_500_000 * 10**3 // 7),
    }
    nulls = rng.random((len(columns), rows)) < 0.05
    arrays = {}
    for k, (name, (unit, per_unit, utc, values)) in enumerate(columns.items()):
        arrays[name] = pa.array(values, pa.timestamp(unit, tz="UTC" if utc else None), mask=nulls[k])
    table = pa.table(arrays)
    for int96, suffix in ((False, ""), (True, "-int96")):
        twin = pd.DataFrame({name: [None if nulls[k][i] else timestamp_text(values[i] * per_unit, utc and not int96)
                                    for i in range(rows)]
                             for k, (name, (unit, per_unit, utc, values)) in enumerate(columns.items())})
        twin.to_csv(os.path.join(out, "timestamps%s.csv" % suffix), index=False)
        for dictionary, encoding in ((True, "dictionary"), (False, "plain")):
            pq.write_table(table, os.path.join(out, "timestamps%s-%s.parquet" % (suffix, encoding)),
                           row_group_size=2000, use_dictionary=dictionary, use_deprecated_int96_timestamps=int96)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    pq.write_table(types_table(), os.path.join(out, "types.parquet"), store_decimal_as_integer=True)
    pq.write_table(int96_table(), os.path.join(out, "int96.parquet"), use_deprecated_int96_timestamps=True)
    write_tables(out)
    write_dictionary(out)
    write_timestamps(out)
    pq.write_table(pa.table({"id": [1, 2], "s": pa.array([{"a": 1, "b": "x"}, None])}),
                   os.path.join(out, "nested.parquet"))
    pq.write_table(pa.table({"id": [1, 2], "l": pa.array([[1, 2], []])}), os.path.join(out, "list.parquet"))
    pq.write_table(pa.table({}), os.path.join(out, "zero.parquet"))
    pq.write_table(pa.table({"id": pa.array([], pa.int64()), "s": pa.array([], pa.string())}),
                   os.path.join(out, "no-rows.parquet"))
    pq.write_table(pa.table({"id": [1, 2]}), os.path.join(out, "brotli.parquet"), compression="brotli")


if __name__ == "__main__":
    main()
