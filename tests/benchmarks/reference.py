"""The benchmark's rules written by hand in plain Python, as a programmer would write
them without Covenant: the Series A redemption price with the appraisal of § 2(b), the
2001 board tiers (§ 5, § 13) and the 2001 Investor lock-up (§ 4(a), § 2, § 4(d)).

Same types as Covenant (Decimal, date), run in the same decimal context (34 digits,
set by the caller around a whole batch, as Covenant sets it), no tracing, no
unknowns: the generated fact sets give every fact these rules read (a fact given as
`none` is Python's None). `tests/interpreter/test_reference.py` checks that these
functions agree with Covenant on generated fact sets, so that the benchmark compares
like with like."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

SERIES_A = "series_a_redemption."
HOLDERS_2001 = "shareholders_2001."
FLOAT_TEST = Decimal(200_000_000)
TEN_PERCENT = Decimal("0.1")
LOCKUP_END = dt.date(2001, 12, 31)
SECTION_2_KINDS = ("spouse", "lineal_descendant_or_ancestor")


def _mean(*values):
    return Decimal(sum(values)) / len(values)


def _daily_price(market: str, day: dict, agreed):
    if market in ("nyse", "other_exchange"):
        return day["closing_price"]
    if market == "nasdaq_national_market":
        return day["last_sale_price"]
    if market == "nasdaq_quotation":
        return _mean(day["highest_bid"], day["lowest_asked"])
    return agreed


def appraised_value(f: dict) -> Decimal:
    """§ 2(b): a single appraiser; an agreed value; two within 10% of the lower; else
    the third, clamped between the other two, with the closest of them."""
    board, holders = f[SERIES_A + "board_appraisal"], f[SERIES_A + "holders_appraisal"]
    if f[SERIES_A + "board_appraiser_appointed"] is None or f[SERIES_A + "holders_appraiser_appointed"] is None:
        return holders if f[SERIES_A + "board_appraiser_appointed"] is None else board
    if f[SERIES_A + "appraisers_agreed_value"] is not None:
        return f[SERIES_A + "appraisers_agreed_value"]
    low, high = min(board, holders), max(board, holders)
    if abs(board - holders) <= TEN_PERCENT * low:
        return _mean(board, holders)
    third = min(max(f[SERIES_A + "third_appraisal"], low), high)
    if third * 2 == board + holders:
        return third
    if abs(third - board) < abs(holders - third):
        return _mean(board, third)
    return _mean(holders, third)


def redemption_price(f: dict) -> Decimal:
    """§ 2(a): before a QPO the higher of the Fair Market Value and the Liquidation
    Amount; after it the Liquidation Amount."""
    liquidation = f[SERIES_A + "series_a_liquidation_amount"]
    qpo, closing = f[SERIES_A + "qpo_date"], f[SERIES_A + "redemption_closing"]
    if not (qpo is None or (closing is not None and closing < qpo)):
        return liquidation
    return max(fair_market_value(f), liquidation)


def fair_market_value(f: dict) -> Decimal:
    market, days = f[SERIES_A + "market"], f[SERIES_A + "trading_days"]
    agreed = f[SERIES_A + "agreed_price_per_share"]
    conversion = f[SERIES_A + "conversion_shares"]
    if market != "no_market" and len(days) == 20:
        prices = [_daily_price(market, day, agreed) for day in days]
        last = prices[-1]
        if last is not None and f[SERIES_A + "registered_public_shares"] * last >= FLOAT_TEST:
            volumes = [day["volume"] for day in days]
            weighted = sum(Decimal(p) * v for p, v in zip(prices, volumes, strict=True)) / Decimal(sum(volumes))
            return weighted * conversion
    reached, notice = f[SERIES_A + "agreement_reached"], f[SERIES_A + "investors_notice_received"]
    if agreed is not None and reached is not None and notice is not None \
            and reached <= notice + dt.timedelta(days=30):
        return agreed * conversion
    return appraised_value(f)


def investor_directors(f: dict, as_of: dt.date) -> int:
    """§ 5 tiers on the latest holding, thresholds adjusted for splits; 0 once the
    Agreement or Section 5 has ended (§ 13)."""
    factor = f[HOLDERS_2001 + "split_factor_since_2001"]
    lower = 6_000_000 * factor
    holdings = [h for h in f[HOLDERS_2001 + "investor_holdings"] if h["day"] <= as_of]
    shares = holdings[-1]["shares"] if holdings else None
    if shares is None or shares < lower:
        return 0
    directors = 3 if shares >= 12_000_000 * factor else 2 if shares >= 9_000_000 * factor else 1
    below = [h["day"] for h in f[HOLDERS_2001 + "investor_holdings"] if h["shares"] < lower]
    in_effect = not (below and min(below) <= as_of)
    legal_end = f[HOLDERS_2001 + "section_5_legal_end_date"]
    return directors if in_effect and not (legal_end is not None and legal_end <= as_of) else 0


def investor_lockup(f: dict, transfer: dict, as_of: dt.date) -> bool:
    """§ 4(a): the Investor may not transfer before December 31, 2001, except in a
    liquidation, a Section 2 transfer or a sale of the Company; § 4(d) lets it
    transfer to limited partners or affiliates."""
    holdings, lower = f[HOLDERS_2001 + "investor_holdings"], 6_000_000 * f[HOLDERS_2001 + "split_factor_since_2001"]
    below = [h["day"] for h in holdings if h["shares"] < lower]
    in_effect = not (below and min(below) <= as_of)
    kinds = transfer["transferee"]
    by_investor = transfer["transferor"] == "investor"
    section_2 = ((any(k in kinds for k in SECTION_2_KINDS) and transfer["gift"] is not False)
                 or "family_trust" in kinds
                 or (by_investor and any(k in kinds for k in ("affiliate", "partner_or_member", "limited_partner"))))
    excepted = bool(transfer["liquidation"]) or section_2 or bool(transfer["sale_of_company"])
    prohibited = in_effect and by_investor and transfer["date"] < LOCKUP_END and not excepted
    if prohibited and by_investor and ("limited_partner" in kinds or "affiliate" in kinds):
        return False  # § 4(d)
    return prohibited


def evaluate(f: dict, transfer: dict, as_of: dt.date) -> tuple:
    """The three answers for one fact set, as the benchmark asks them of Covenant."""
    return redemption_price(f), investor_directors(f, as_of), investor_lockup(f, transfer, as_of)
