"""Generated inputs for the benchmark: fact sets that sweep the interesting ranges of
the BTI deal, and synthetic deals many times its size.

A fact set sweeps, around each boundary, both sides: daily prices and volumes around
the $200 million public float test of the Series A and the $250 million test of the
Series B ((x) registered plus (y) freely tradable shares); for each, the two
appraisals around the 10% rule, the third inside and outside them; the Investor's
holdings around every board tier (6, 9 and 12 million shares, adjusted by a split
factor); dates around every deadline the rules read (the QPO against the redemption
closing or the Series B Redemption Date, the agreement on a price against 30 days
after the Investors' Notice, the appraisers' agreement against 30 days after the last
appointment, the transfer against the end of the lock-up, the holdings and the legal
end of Section 5 against the evaluation date); and a proposed capital expenditure
(§ 7(b)(ii) of the 2001 Shareholders Agreement) dated on both sides of every fiscal
quarter boundary of 2001 and 2002, with the amount plus what was spent in the fiscal
year just under, at or over the quarter's cumulative cap. A fact set is a dict of
typed values by qualified input name (what `FactBase.values` holds), a proposed
transfer and a proposed corporate action; `as_json` writes the facts as a line of
JSON for `covenant batch` (whose rows carry facts, not proposed actions)."""
from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

AS_OF = dt.date(2001, 6, 30)
A, B, H = "series_a_redemption.", "series_b_redemption.series_b_", "shareholders_2001."
MARKETS = ("nyse", "other_exchange", "nasdaq_national_market", "nasdaq_quotation", "no_market")
KINDS = ("spouse", "lineal_descendant_or_ancestor", "family_trust", "affiliate", "partner_or_member",
         "limited_partner", "competitor", "company")
# The first day of every fiscal quarter of 2001 and 2002 (the fiscal year is the
# calendar year) and of 2003, and the cumulative capital-expenditure cap of each
# quarter of 2001 and 2002 (§ 7(b)(ii)(r)-(y) of the 2001 Shareholders Agreement).
QUARTER_STARTS = tuple(dt.date(year, month, 1) for year in (2001, 2002) for month in (1, 4, 7, 10)) \
    + (dt.date(2003, 1, 1),)
CAPS = tuple(Decimal(m * 1_000_000) for m in (18, 31, 44, 57, 13, 26, 39, 52))


def _near(rng: random.Random, value: Decimal, spread: float) -> Decimal:
    """A money amount within `spread` (a fraction) of `value`, to the cent."""
    return (value * Decimal(1 + rng.uniform(-spread, spread))).quantize(Decimal("0.01"))


def _day(rng: random.Random, base: dt.date, days: int) -> dt.date:
    return base + dt.timedelta(days=rng.randint(-days, days))


def _trading_days(rng: random.Random, price: Decimal) -> tuple:
    """19 or 20 trading days before the valuation date, prices near `price`."""
    days = []
    for n in range(rng.choice((20, 20, 20, 19))):
        close = _near(rng, price, 0.05)
        days.append({"day": AS_OF - dt.timedelta(days=30 - n), "closing_price": close, "last_sale_price": close,
                     "highest_bid": close + Decimal("0.05"), "lowest_asked": close - Decimal("0.05"),
                     "volume": Decimal(rng.randint(1, 500) * 1000)})
    return tuple(days)


def _float_shares(rng: random.Random, test: int, days: tuple) -> Decimal:
    """Shares whose public float (shares x the last day's price) is near `test`
    dollars: within 5%, or the nearest whole share below or above it."""
    last = days[-1]["closing_price"]
    if rng.random() < 0.5:
        return (Decimal(test) / last * Decimal(1 + rng.uniform(-0.05, 0.05))).quantize(Decimal(1))
    return (Decimal(test) / last).to_integral_value(rng.choice(("ROUND_FLOOR", "ROUND_CEILING")))


def _appraisals(rng: random.Random) -> tuple[Decimal, Decimal]:
    """The Board's and the Holders' appraisals, within or beyond 10% of the lower, near the line."""
    board = Decimal(rng.randint(25, 40) * 1_000_000)
    return board, _near(rng, board * Decimal(1 + rng.choice((-1, 1)) * rng.choice((0.05, 0.099, 0.1, 0.101, 0.2))),
                        0.001)


def _series_b(rng: random.Random, price: Decimal) -> dict:
    """The Series B facts: the float near $250 million, every deadline of § 2 and § 3(a) straddled."""
    days = _trading_days(rng, price)
    float_shares = _float_shares(rng, 250_000_000, days)
    unregistered = (float_shares * Decimal(rng.choice((0, 0.1, 0.4)))).quantize(Decimal(1))
    board, holders = _appraisals(rng)
    notice = _day(rng, AS_OF, 60)
    reached = notice + dt.timedelta(days=rng.randint(25, 35))
    appointed = (rng.choice((None, notice, notice + dt.timedelta(days=rng.randint(1, 10)))),
                 rng.choice((None, notice, notice + dt.timedelta(days=rng.randint(1, 10)))))
    last_appointed = max((d for d in appointed if d is not None), default=notice)
    results = notice + dt.timedelta(days=rng.randint(40, 80))
    fixed = rng.choice((notice, reached, results))
    closing = rng.choice((None, _day(rng, fixed + dt.timedelta(days=60), 5)))
    return {
        B + "qpo_date": rng.choice((None, _day(rng, fixed + dt.timedelta(days=60), 2),
                                    closing and _day(rng, closing, 2))),
        B + "redemption_closing": closing,
        B + "market": rng.choice(MARKETS),
        B + "trading_days": days,
        B + "registered_public_shares": float_shares - unregistered,
        B + "unregistered_tradable_shares": unregistered,
        B + "agreed_price_per_share": rng.choice((None, _near(rng, price, 0.2))),
        B + "agreement_reached": reached,
        B + "investors_notice_received": notice,
        B + "conversion_shares": Decimal(rng.randint(1, 5) * 1_000_000),
        B + "liquidation_amount": Decimal(rng.randint(20, 45) * 1_000_000),
        B + "board_appraiser_appointed": appointed[0],
        B + "holders_appraiser_appointed": appointed[1],
        B + "appraisers_agreed_value": rng.choice((None, None, _near(rng, board, 0.05))),
        B + "appraisers_agreed_on": _day(rng, last_appointed + dt.timedelta(days=30), 2),
        B + "board_appraisal": board,
        B + "holders_appraisal": holders,
        B + "third_appraisal": _near(rng, (board + holders) / 2, 0.3),
        B + "appraisal_results_received": results,
    }


def _capital_expenditure(rng: random.Random) -> dict:
    """A proposed corporate action dated a few days either side of a fiscal quarter
    boundary, its amount plus the fiscal year's spending just under, at or over the
    cap of its quarter."""
    i = rng.randrange(len(QUARTER_STARTS))
    date = QUARTER_STARTS[i] + dt.timedelta(days=rng.randint(-3, 2))
    plan = rng.choice((None, Decimal(rng.randint(10, 60) * 1_000_000)))
    quarter = sum(start <= date for start in QUARTER_STARTS)  # 0 before 2001, 9 from 2003
    line = CAPS[quarter - 1] if 1 <= quarter <= 8 else plan or Decimal(30_000_000)
    total = line + rng.choice((Decimal(-1), Decimal(0), Decimal("0.01"), Decimal(1_000_000)))
    spent = rng.choice((None, (total * Decimal(rng.choice((0, 0.3, 0.9)))).quantize(Decimal("0.01"))))
    return {"kind": rng.choice((("capital_expenditure",), ("capital_expenditure",), ("asset_purchase", "capital_expenditure"),
                                ("new_indebtedness",))),
            "date": date, "amount": total - (spent or 0), "spent_this_fiscal_year": spent,
            "plan_approved_amount": plan}


def fact_set(rng: random.Random) -> tuple[dict, dict, dict]:
    """One generated fact set, proposed transfer and proposed corporate action."""
    price = Decimal(rng.choice((8, 10, 12, 20, 25)))
    days = _trading_days(rng, price)
    board, holders = _appraisals(rng)
    notice = _day(rng, AS_OF, 60)
    closing = _day(rng, AS_OF, 90)
    facts = {
        A + "qpo_date": rng.choice((None, _day(rng, closing, 10))),
        A + "redemption_closing": closing,
        A + "market": rng.choice(MARKETS),
        A + "trading_days": days,
        A + "registered_public_shares": _float_shares(rng, 200_000_000, days),
        A + "agreed_price_per_share": rng.choice((None, _near(rng, price, 0.2))),
        A + "agreement_reached": notice + dt.timedelta(days=rng.randint(25, 35)),
        A + "investors_notice_received": notice,
        A + "conversion_shares": Decimal(rng.randint(1, 5) * 1_000_000),
        A + "series_a_liquidation_amount": Decimal(rng.randint(20, 45) * 1_000_000),
        A + "board_appraiser_appointed": rng.choice((None, notice, notice)),
        A + "holders_appraiser_appointed": rng.choice((None, notice, notice)),
        A + "appraisers_agreed_value": rng.choice((None, None, None, _near(rng, board, 0.05))),
        A + "board_appraisal": board,
        A + "holders_appraisal": holders,
        A + "third_appraisal": _near(rng, (board + holders) / 2, 0.3),
    }
    factor = rng.choice((Decimal(1), Decimal(2), Decimal("0.5")))
    tier = rng.choice((6_000_000, 9_000_000, 12_000_000))
    holdings = sorted(({"day": _day(rng, AS_OF, 40), "shares": (tier * factor + rng.choice((-1, 0, 1)) * 1000)}
                       for _ in range(rng.randint(1, 3))), key=lambda h: h["day"])
    facts |= {H + "split_factor_since_2001": factor, H + "investor_holdings": tuple(holdings),
              H + "section_5_legal_end_date": rng.choice((None, None, _day(rng, AS_OF, 30)))}
    transfer = {"transferor": rng.choice(("investor", "investor", "loftin")),
                "transferee": tuple(rng.sample(KINDS, rng.randint(0, 2))),
                "share_class": "series_b_preferred", "shares": Decimal(1000),
                "date": _day(rng, dt.date(2001, 12, 31), 3), "gift": rng.choice((None, True, False)),
                "liquidation": rng.choice((None, False, True)), "sale_of_company": rng.choice((False, False, True))}
    return facts | _series_b(rng, price), transfer, _capital_expenditure(rng)


def fact_sets(count: int, seed: int = 2001):
    """`count` fact sets (each with its proposed transfer and corporate action), the
    same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield fact_set(rng)


def as_json(facts: dict) -> str:
    """A fact set as one line of JSON Lines (qualified names, exact numbers as text)."""
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if isinstance(value, (Decimal, dt.date)):
            return str(value)
        return value
    return json.dumps({k: plain(v) for k, v in facts.items()})
