"""The benchmark's rules written by hand in plain Python, as a programmer would write
them without Covenant: the Series A redemption price with the appraisal of § 2(b), the
2001 board tiers (§ 5, § 13), the 2001 Investor lock-up (§ 4(a), § 2, § 4(d)), the
Series B redemption price (its $250 million float test, § 2(a); § 2(b); the
Redemption Date of § 3(a)) and the 2001 capital-expenditure caps by fiscal quarter
(§ 7(b)(ii)).

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
SERIES_B = "series_b_redemption.series_b_"
SERIES_B_FLOAT_TEST = Decimal(250_000_000)
# Cumulative capital-expenditure caps from the start of the fiscal year, by
# (calendar year, quarter): § 7(b)(ii)(r)-(y).
CAPEX_CAPS = {(2001, 1): 18, (2001, 2): 31, (2001, 3): 44, (2001, 4): 57,
              (2002, 1): 13, (2002, 2): 26, (2002, 3): 39, (2002, 4): 52}


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


def _two_or_three_appraisals(board: Decimal, holders: Decimal, third: Decimal) -> Decimal:
    """§ 2(b) of both redemption agreements, two appraisers appointed and no agreed
    value: the mean of the two within 10% of the lower; else the third, clamped
    between them, with the closer of the two."""
    low, high = min(board, holders), max(board, holders)
    if abs(board - holders) <= TEN_PERCENT * low:
        return _mean(board, holders)
    third = min(max(third, low), high)
    if third * 2 == board + holders:
        return third
    if abs(third - board) < abs(holders - third):
        return _mean(board, third)
    return _mean(holders, third)


def appraised_value(f: dict) -> Decimal:
    """§ 2(b): a single appraiser; an agreed value; two within 10% of the lower; else
    the third, clamped between the other two, with the closest of them."""
    board, holders = f[SERIES_A + "board_appraisal"], f[SERIES_A + "holders_appraisal"]
    if f[SERIES_A + "board_appraiser_appointed"] is None or f[SERIES_A + "holders_appraiser_appointed"] is None:
        return holders if f[SERIES_A + "board_appraiser_appointed"] is None else board
    if f[SERIES_A + "appraisers_agreed_value"] is not None:
        return f[SERIES_A + "appraisers_agreed_value"]
    return _two_or_three_appraisals(board, holders, f[SERIES_A + "third_appraisal"])


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


def series_b_appraised_value(f: dict) -> Decimal:
    """Series B § 2(b): as the Series A, but the appraisers' value counts only if
    agreed within 30 days after the last appointment."""
    board, holders = f[SERIES_B + "board_appraisal"], f[SERIES_B + "holders_appraisal"]
    board_appointed, holders_appointed = f[SERIES_B + "board_appraiser_appointed"], \
        f[SERIES_B + "holders_appraiser_appointed"]
    if board_appointed is None or holders_appointed is None:
        return holders if board_appointed is None else board
    agreed = f[SERIES_B + "appraisers_agreed_value"]
    if agreed is not None and f[SERIES_B + "appraisers_agreed_on"] <= max(board_appointed, holders_appointed) \
            + dt.timedelta(days=30):
        return agreed
    return _two_or_three_appraisals(board, holders, f[SERIES_B + "third_appraisal"])


def series_b_redemption_price(f: dict) -> Decimal:
    """Series B § 2(a): the market test counts (x) registered and (y) freely tradable
    shares against $250 million; the redemption is before the Series B QPO if its
    Redemption Date (§ 3(a): 60 days after the price is fixed, or the purchase if
    earlier) is."""
    market, days = f[SERIES_B + "market"], f[SERIES_B + "trading_days"]
    agreed = f[SERIES_B + "agreed_price_per_share"]
    notice, reached = f[SERIES_B + "investors_notice_received"], f[SERIES_B + "agreement_reached"]
    market_value = None
    if market != "no_market" and len(days) == 20:
        prices = [_daily_price(market, day, agreed) for day in days]
        shares = f[SERIES_B + "registered_public_shares"] + f[SERIES_B + "unregistered_tradable_shares"]
        if shares * prices[-1] >= SERIES_B_FLOAT_TEST:
            volumes = [day["volume"] for day in days]
            market_value = sum(p * v for p, v in zip(prices, volumes, strict=True)) / Decimal(sum(volumes))
    agreed_in_time = agreed is not None and reached <= notice + dt.timedelta(days=30)
    if market_value is not None:
        fixed = notice
    else:
        fixed = reached if agreed_in_time else f[SERIES_B + "appraisal_results_received"]
    liquidation, qpo = f[SERIES_B + "liquidation_amount"], f[SERIES_B + "qpo_date"]
    if qpo is not None:
        redemption_date = fixed + dt.timedelta(days=60)
        closing = f[SERIES_B + "redemption_closing"]
        if closing is not None and closing < redemption_date:
            redemption_date = closing
        if redemption_date >= qpo:
            return liquidation
    conversion = f[SERIES_B + "conversion_shares"]
    if market_value is not None:
        value = market_value * conversion
    elif agreed_in_time:
        value = agreed * conversion
    else:
        value = series_b_appraised_value(f)
    return max(value, liquidation)


def capital_expenditure_over_cap(action: dict) -> bool:
    """2001 § 7(b)(ii): a capital expenditure that, with what the fiscal year has spent
    or committed, exceeds the cap of its fiscal quarter (a later plan's amount from
    2003); with no cap, or no amount, the approval applies."""
    if "capital_expenditure" not in action["kind"]:
        return False
    date = action["date"]
    if date.year > 2002:
        cap = action["plan_approved_amount"]
    else:
        cap = CAPEX_CAPS.get((date.year, (date.month - 1) // 3 + 1))
        cap = None if cap is None else Decimal(cap * 1_000_000)
    amount, spent = action["amount"], action["spent_this_fiscal_year"]
    return cap is None or amount is None or amount + (spent or 0) > cap


def evaluate(f: dict, transfer: dict, action: dict, as_of: dt.date) -> tuple:
    """The five answers for one fact set, as the benchmark asks them of Covenant."""
    return (redemption_price(f), investor_directors(f, as_of), series_b_redemption_price(f),
            investor_lockup(f, transfer, as_of), capital_expenditure_over_cap(action))
