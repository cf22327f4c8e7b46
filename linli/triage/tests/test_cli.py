"""`linli triage`: evaluate prints its figures and reads past bad rows; import is all or
nothing; a file that cannot be used exits with 2."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from linli.triage import services
from linli.triage.models import LabelledText, Outcome
from linli.triage.tests.training_kit import (
    corpus,
    csv_write,
    texts_add,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("triage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _figures(out: str) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in out.splitlines()[:4])


def test_evaluate_scores_the_rules_and_lists_bad_rows_it_skipped(triage_data):
    rows = [*corpus(per_category=3), ("ZZ999", "不存在的类别"), ("L1002", "")]
    path = csv_write(triage_data / "labelled.csv", rows)
    out, err = _run("evaluate", str(path))
    figures = _figures(out)
    assert figures["texts"] == "15" and figures["source"] == "rules"
    assert re.fullmatch(r"[01]\.\d{3}", figures["top1"])
    assert float(figures["top3"]) >= float(figures["top1"]) > 0.5
    assert "Line 17: ZZ999 is not an active category code." in err
    assert "Line 18: the text is empty." in err and "2 bad rows skipped" in err
    assert "most frequent confusions" in out and "weakest categories" in out


def test_evaluate_scores_the_model_in_use_with_the_rules(triage_data):
    texts_add(corpus())
    run = services.train_now()
    assert run.outcome == Outcome.ACTIVE
    path = csv_write(triage_data / "new.csv", [("L1003", "8栋楼顶水箱的水管破了一直在漏水"),
                                               ("L1002", "2单元楼梯灯晚上不亮，摸黑上楼"),
                                               ("06028", "楼下广场舞音响开得太大了")])
    out, _err = _run("evaluate", str(path))
    figures = _figures(out)
    assert figures == {"texts": "3", "top1": figures["top1"], "top3": "1.000",
                       "source": f"model v{run.version}"}


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"a,b\n1,2\n", "columns code and text"),
    ("code,text\nZZ1,什么\n".encode(), "not an active category code"),
])
def test_an_unusable_file_exits_with_2(triage_data, content, message):
    path = triage_data / "bad.csv"
    path.write_bytes(content)
    for action in ("evaluate", "import"):
        err = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("triage", action, str(path), stdout=io.StringIO(), stderr=err)
        assert refused.value.returncode == 2
        assert message in err.getvalue()
    assert LabelledText.objects.count() == 0


def test_a_missing_file_exits_with_2(triage_data):
    with pytest.raises(CommandError) as refused:
        _run("evaluate", str(triage_data / "nowhere.csv"))
    assert refused.value.returncode == 2


def test_import_is_all_or_nothing(triage_data):
    good = corpus(per_category=2)
    bad = csv_write(triage_data / "bad.csv", [*good, ("L1002", "x" * 4001)])
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("triage", "import", str(bad), stdout=io.StringIO(), stderr=err)
    assert refused.value.returncode == 2 and "nothing imported" in str(refused.value)
    assert "Line 12: the text is longer than 4000 characters." in err.getvalue()
    assert LabelledText.objects.count() == 0

    path = csv_write(triage_data / "good.csv", good)
    out, _err = _run("import", str(path), "--source", "old hotline")
    assert out.startswith("added 10 of 10 texts")
    assert set(LabelledText.objects.values_list("source", flat=True)) == {"old hotline"}
    out, _err = _run("import", str(path))
    assert out.startswith("added 0 of 10 texts (10 known already)")


def test_train_and_status_print_the_run(triage_data):
    texts_add(corpus())
    out, _err = _run("train")
    assert "version v1" in out and "outcome active" in out and "top1 " in out
    out, _err = _run("train")
    assert "outcome active" in out and "model in use before, same texts: top1" in out
    out, _err = _run("status")
    assert out.startswith("model in use: v2") and "imported texts: 80" in out
    assert "v1" in out and "retired" in out


def test_a_long_text_is_stored_as_far_as_it_is_read(triage_data):
    # 4,000 distinct Chinese characters: 12,000 bytes, past what PostgreSQL's unique index
    # on (category, text) takes; only the first text.MAX_READ characters are ever read.
    import random

    from linli.triage import text

    rng = random.Random(4000)
    body = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(4000))
    path = csv_write(triage_data / "long.csv", [("L1003", body), ("L1003", body[:700])])
    out, _err = _run("import", str(path))
    assert out.startswith("added 1 of 2 texts")
    assert LabelledText.objects.get().text == body[:text.MAX_READ]
