"""The suppression rule for counts that add up (hub.statistics.suppress_parts), used by the statistics'
columns and by the feedback results' questions (counseling/feedback.py)."""

from hub.statistics import Hidden, count_cell, suppress_groups, suppress_parts


def shown(cells):
    return [cell.hidden or cell.value for cell in cells]


def test_a_single_small_part_of_a_shown_whole_hides_the_next_smallest():
    parts, whole = [count_cell(2), count_cell(9), count_cell(30)], count_cell(41)
    assert suppress_parts(parts, whole)
    assert shown(parts) == [Hidden.SMALL, Hidden.SECONDARY, 30] and not whole.suppressed


def test_a_hidden_whole_whose_parts_are_all_shown_hides_one_of_them():
    parts, whole = [count_cell(12), count_cell(20)], count_cell(32)
    whole.hidden = Hidden.SECONDARY  # hidden for another sum it belongs to
    assert suppress_parts(parts, whole)
    assert shown(parts) == [Hidden.SECONDARY, 20]


def test_with_no_other_part_to_hide_the_whole_is_hidden():
    only = count_cell(9)
    only.hidden = Hidden.SECONDARY
    whole = count_cell(9)
    assert suppress_parts([only, count_cell(0)], whole)
    assert whole.hidden == Hidden.SECONDARY


def test_groups_are_repeated_until_no_sum_gives_a_cell_away():
    # Two rows of answers (yes, no) and their column totals; row one's "no" is small.
    rows = [[count_cell(9), count_cell(2)], [count_cell(20), count_cell(15)]]
    answers = [count_cell(11), count_cell(35)]
    totals = [count_cell(29), count_cell(17)]
    groups = [(row, answer) for row, answer in zip(rows, answers, strict=True)]
    groups += [([row[i] for row in rows], totals[i]) for i in range(2)]
    suppress_groups(groups)
    for parts, whole in groups:
        hidden = sum(cell.suppressed for cell in parts)
        assert hidden != 1 or whole.suppressed, "a single hidden part of a shown whole"
        assert hidden or not whole.suppressed or not whole.value, "a hidden whole with every part shown"
