"""`python -m bench --size`: named sizes with flags that win, and the ratio between sizes."""

from bench.__main__ import SIZES, _arguments, ratio_table


def test_a_size_fills_the_figures_not_given_and_a_flag_wins():
    args = _arguments(["--size", "1m", "--persons", "500"])
    assert (args.persons, args.companies, args.interactions) == (500, 200_000, 10_000_000)
    default = _arguments([])
    assert default.size == "100k" and default.persons == SIZES["100k"]["persons"]


def test_the_ratio_table_pairs_the_requests_measured_at_both_sizes():
    def entry(ms):
        row = {"name": "Person list", "median_ms": ms, "cpu_median_ms": ms, "queries": 10}
        return {"results": [row], "engagement": {"results": [{**row, "name": "Awaiting"}]}}

    assert ratio_table({"sqlite": entry(40.0)}, "sqlite") is None
    table = ratio_table({"sqlite": entry(40.0), "sqlite-1m": entry(50.0)}, "sqlite")
    assert table.row_count == 2
    assert list(table.columns[5].cells) == ["1.25", "1.25"]
