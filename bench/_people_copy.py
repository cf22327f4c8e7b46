"""Bulk loading residents for bench/people.py: COPY rows whose ciphertext and keyed hashes
come from the same functions the services use (`linli.core.crypto.encrypt`, `blind_index`).

Generating a million AES-GCM ciphertexts is the slow part, so worker processes make the COPY
text for slices of the residents and the parent process streams it into PostgreSQL. Workers
get the field key explicitly (the crypto functions take `secret=`) and need no Django set-up.
Resident i is deterministic (`person(i)`), so lookups can pick any i and know its ID number.
"""

from datetime import date, timedelta
from multiprocessing import Pool

from linli.core.crypto import blind_index, encrypt
from linli.people.validators import id_number_check_digit

FIRST_BIRTH = date(1940, 1, 1)
BIRTH_DAYS = 29_000  # about 80 years of birth dates
HOUSEHOLD_SIZE = 3
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "伟", "芳", "强", "敏", "静", "磊", "丽", "军", "洋", "娟"]
RELATIONS = ["head", "spouse", "child"]
CHUNK = 20_000


def id_number(i: int, area: str = "420103") -> str:
    """A valid, unique ID number for resident i (unique while i < 29,000,000)."""
    born = FIRST_BIRTH + timedelta(days=i % BIRTH_DAYS)
    first17 = f"{area}{born:%Y%m%d}{i // BIRTH_DAYS:03d}"
    return first17 + id_number_check_digit(first17)


def phone(i: int) -> str:
    return f"15{i:09d}"


def _resident_line(i: int, household_id: int, path: str, secret: str, stamp: str) -> str:
    number, mobile = id_number(i), phone(i)
    born = FIRST_BIRTH + timedelta(days=i % BIRTH_DAYS)
    gender = "male" if int(number[16]) % 2 else "female"
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)]
    fields = [str(household_id), path, name, encrypt(number, secret=secret),
              blind_index(number, secret=secret), encrypt(mobile, secret=secret),
              blind_index(mobile, secret=secret), born.isoformat(), gender,
              RELATIONS[i % HOUSEHOLD_SIZE], "owner", "2000-01-01", stamp, stamp]
    # No field holds a tab, newline or backslash: COPY's text format needs no escaping.
    return "\t".join(fields) + "\n"


def _chunk(job: tuple) -> bytes:
    """The residents COPY text for residents start..end."""
    start, end, first_household, dwellings, secret, stamp = job
    lines = []
    for i in range(start, end):
        index = i // HOUSEHOLD_SIZE
        _dwelling_id, path = dwellings[index % len(dwellings)]
        lines.append(_resident_line(i, first_household + index, path, secret, stamp))
    return "".join(lines).encode()


def _households(first: int, start: int, end: int, dwellings: list[tuple[int, str]],
                stamp: str) -> bytes:
    lines = []
    for index in range(start // HOUSEHOLD_SIZE, (end - 1) // HOUSEHOLD_SIZE + 1):
        dwelling_id, path = dwellings[index % len(dwellings)]
        lines.append(f"{first + index}\t{dwelling_id}\t{path}\t{stamp}\n")
    return "".join(lines).encode()


HOUSEHOLD_COLUMNS = "id, dwelling_id, area_path, created_at"
RESIDENT_COLUMNS = ("household_id, area_path, name, id_number_cipher, id_number_hash, "
                    "phone_cipher, phone_hash, birth_date, gender, relation, tenure, moved_in, "
                    "created_at, updated_at")


def load(conn, *, count: int, offset: int, dwellings: list[tuple[int, str]], secret: str,
         workers: int, stamp: str) -> None:
    """COPY `count` residents (numbered from `offset`) and their households, in one
    transaction: the households first (cheap), then the residents as workers make them."""
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM people_household").fetchone()[0]
    first -= offset // HOUSEHOLD_SIZE  # household ids follow from the resident's index
    end = offset + count
    jobs = [(s, min(s + CHUNK, end), first, dwellings, secret, stamp)
            for s in range(offset, end, CHUNK)]
    with conn.cursor() as cur:
        with cur.copy(f"COPY people_household ({HOUSEHOLD_COLUMNS}) FROM STDIN") as copy:
            copy.write(_households(first, offset, end, dwellings, stamp))
        with Pool(workers) as pool, cur.copy(
                f"COPY people_resident ({RESIDENT_COLUMNS}) FROM STDIN") as copy:
            for text in pool.imap(_chunk, jobs):
                copy.write(text)
        cur.execute("SELECT setval(pg_get_serial_sequence('people_household', 'id'), "
                    "(SELECT max(id) FROM people_household))")
    conn.commit()
