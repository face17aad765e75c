"""The timeline's items from schedules (tests/fixtures/timeline, § 5): one per
instance of a recurring obligation, with its own deadline, status and performance,
and the dates of a schedule-typed term folded into the instances they are due on."""
import datetime as dt

from test_timeline import item, timeline

PAID = "[{period: 2020-07-15, date: 2020-07-15}, {period: 2021-01-15, date: 2021-01-20}]"


def test_each_period_is_an_item_with_its_own_deadline_status_and_performance():
    tl = timeline("2021-12-01", coupon_payments=PAID)
    first, second, third, fourth = (item(tl, f"notes.pay_coupon#{n}") for n in (1, 2, 3, 4))
    assert (first.date, first.status, first.done, first.who) == (dt.date(2020, 7, 15), "met", dt.date(2020, 7, 15), "issuer")
    assert (second.status, second.done) == ("missed", dt.date(2021, 1, 20))   # paid late: still missed
    assert (third.status, third.done) == ("missed", None)                     # a payment for another period does not count
    # 2022-01-15 is a Saturday: the payment date moves to Monday the 17th.
    assert (fourth.date, fourth.status) == (dt.date(2022, 1, 17), "pending")
    assert [i.key for i in tl.missed] == ["notes.deliver_report", "notes.pay_coupon#2",
                                          "notes.pay_coupon#3"]


def test_periods_not_begun_show_their_days_and_the_schedule_ends_where_it_says():
    tl = timeline("2021-12-01")
    future = [i for i in tl.items if i.key in ("notes.pay_coupon#5", "notes.pay_coupon#6")]
    assert [(i.date, i.status) for i in future] == [(dt.date(2022, 7, 15), "not_triggered"),
                                                     (dt.date(2023, 1, 16), "not_triggered")]
    assert len([i for i in tl.items if i.name == "pay_coupon"]) == 6


def test_the_schedule_the_obligation_recurs_on_is_folded_into_its_instances():
    tl = timeline("2021-12-01")
    assert not [i for i in tl.items if i.name == "coupon_dates"]
    assert item(tl, "notes.pay_coupon#1").also == ("coupon_dates",)


def test_a_range_keeps_the_instances_inside_it():
    tl = timeline("2021-12-01", "2021-01-01", "2021-12-31")
    assert [i.key for i in tl.dated if i.name == "pay_coupon"] == ["notes.pay_coupon#2",
                                                                     "notes.pay_coupon#3"]
