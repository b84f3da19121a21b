"""The QR-code ticket: a PNG of the ticket code that staff scan at the door."""

from __future__ import annotations

import base64
import io

import qrcode
from PIL import Image
from qrcode import util as qr_util
from qrcode.base import EXP_TABLE, LOG_TABLE, rs_blocks
from qrcode.LUT import rsPoly_LUT

from .models import Registration

BOX_SIZE = 8
BORDER = 2


class _Bits:
    """qrcode's ``BitBuffer`` (what ``QRData.write`` writes into) as one integer: one shift
    per value instead of a list append per bit."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def __len__(self) -> int:
        return self.length


def _codewords(version: int, error_correction: int, data_list: list[qr_util.QRData]) -> list[int]:
    """What ``qrcode.util.create_data`` returns (data and error-correction codewords, block by
    block interleaved), computed with integer bits and a table-driven Reed-Solomon division
    instead of qrcode's polynomial objects: 0.1 ms instead of about 0.5 per ticket
    (tests/events/test_tickets.py compares both on many codes)."""
    bits = _Bits()
    for data in data_list:
        bits.put(data.mode, 4)
        bits.put(len(data), qr_util.length_in_bits(data.mode, version))
        data.write(bits)
    blocks = rs_blocks(version, error_correction)
    bit_limit = sum(block.data_count * 8 for block in blocks)
    if len(bits) > bit_limit:
        raise qrcode.exceptions.DataOverflowError(f"Code length overflow ({len(bits)} > {bit_limit} bits)")
    bits.put(0, min(bit_limit - len(bits), 4))  # terminator
    bits.put(0, -len(bits) % 8)  # to a whole byte
    codewords = bits.value.to_bytes(len(bits) // 8, "big") + bytes(
        qr_util.PAD0 if i % 2 == 0 else qr_util.PAD1 for i in range((bit_limit - len(bits)) // 8)
    )
    data_blocks: list[bytes] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for block in blocks:
        data = codewords[offset : offset + block.data_count]
        offset += block.data_count
        generator = [LOG_TABLE[c] for c in rsPoly_LUT[block.total_count - block.data_count][1:]]
        remainder = [0] * len(generator)
        for byte in data:  # the remainder of data * x^n divided by the generator, in GF(256)
            factor = byte ^ remainder[0]
            remainder = [*remainder[1:], 0]
            if factor:
                shift = LOG_TABLE[factor]
                for i, g in enumerate(generator):
                    remainder[i] ^= EXP_TABLE[(g + shift) % 255]
        data_blocks.append(data)
        ec_blocks.append(remainder)
    interleaved: list[int] = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            interleaved.extend(b[i] for b in group if i < len(b))
    return interleaved


def ticket_qr_code(ticket_code: str) -> qrcode.QRCode:
    # One fixed mask pattern instead of trying all eight for the "best" one (qrcode's default):
    # any mask is standard and scans the same, and choosing cost about 80% of the QR's time
    # (bench/results/profile.txt), in every confirmation and reminder e-mail.
    code = qrcode.QRCode(box_size=BOX_SIZE, border=BORDER, mask_pattern=0)
    code.add_data(ticket_code)
    # code.make(fit=True), with the codewords computed here (qrcode uses a data_cache it finds set).
    code.best_fit()
    code.data_cache = _codewords(code.version, code.error_correction, code.data_list)
    code.makeImpl(False, code.mask_pattern)
    return code


def ticket_qr_png(*, registration: Registration) -> bytes:
    """The ticket's QR code as a black-and-white PNG, pixel for pixel what qrcode's own image
    writer draws (tests/events/test_tickets.py), made from the module matrix in one step:
    qrcode draws a rectangle per dark module, about 3 ms per ticket, at send time of every
    ticket e-mail (the reminder fan-out, bench/README.md)."""
    matrix = ticket_qr_code(registration.ticket_code).get_matrix()  # border included
    size = len(matrix)
    # To one bit per pixel before scaling up: the same pixels, 64 times fewer bytes converted.
    modules = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    image = modules.convert("1").resize((size * BOX_SIZE, size * BOX_SIZE), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_qr_data_uri(*, registration: Registration) -> str:
    return "data:image/png;base64," + base64.b64encode(ticket_qr_png(registration=registration)).decode("ascii")
