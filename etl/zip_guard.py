"""Zip checks made before any reader sees an .xlsx, .xlsm or .ods (they are zips).

A zip bomb is refused from its directory alone (declared sizes against a limit and an
overall compression ratio), in under a millisecond, without inflating anything; two
members of one name or two end-of-directory records are refused (readers may disagree on
which counts); :func:`inflate` streams a member and raises unless it ends exactly at its
declared size with its declared CRC, so a later reader never reads more than declared.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from etl.errors import ReadError, short_reason

MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR_BYTES = 10 * 1024 * 1024  # smaller contents may compress at any ratio

CHUNK = 1 << 20
_LOCAL_HEADER = b"PK\x03\x04"
_END_OF_DIRECTORY = b"PK\x05\x06"
_EOCD_SEARCH = 22 + 65535  # the record and the longest comment


def is_zip(path: Path) -> bool:
    """A zip, even with bytes before it: calamine opens those too."""
    with path.open("rb") as handle:
        return handle.read(4) == _LOCAL_HEADER or zipfile.is_zipfile(handle)


def _check_single_directory(path: Path) -> None:
    """Refuse a zip with two end-of-directory records that both fit the file's end: one
    reader may take one and another the other (Python's zipfile and calamine's differ)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - _EOCD_SEARCH))
        tail = handle.read()
    base = size - len(tail)
    fitting = 0
    at = tail.find(_END_OF_DIRECTORY)
    while at >= 0:
        if at + 22 <= len(tail):
            comment = struct.unpack_from("<H", tail, at + 20)[0]
            fitting += base + at + 22 + comment == size
        at = tail.find(_END_OF_DIRECTORY, at + 1)
    if fitting > 1:
        raise ReadError("file_zip_inconsistent")


def zip_members(path: Path, max_unpacked: int) -> dict[str, zipfile.ZipInfo]:
    """The zip's directory, refused when it declares too much or declares it oddly."""
    _check_single_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise ReadError("file_damaged", detail=short_reason(exc)) from exc
    members = {info.filename: info for info in infos}
    if len(members) != len(infos):  # two parts of one name: which one would calamine read?
        raise ReadError("file_zip_inconsistent")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise ReadError(
            "file_unpacked_too_large",
            size_mb=round(unpacked / 2**20),
            limit_mb=round(max_unpacked / 2**20),
        )
    packed = max(path.stat().st_size, 1)
    if unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_COMPRESSION_RATIO * packed:
        raise ReadError(
            "file_compression_suspicious",
            ratio=round(unpacked / packed),
            limit=MAX_COMPRESSION_RATIO,
        )
    return members


def inflate(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks; raises unless they end exactly as its directory says."""
    if info.flag_bits & 0x1:
        raise ReadError("file_damaged", detail=f"encrypted zip member {info.filename}")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != _LOCAL_HEADER:
        raise ReadError("file_zip_inconsistent")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = _stored_chunks(handle, info)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _deflated_chunks(handle, info)
    else:
        raise ReadError("file_damaged", detail=f"compression method {info.compress_type}")
    produced = 0
    crc = 0
    for chunk in chunks:
        produced += len(chunk)
        if produced > info.file_size:
            raise ReadError("file_zip_inconsistent")
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size or crc != info.CRC:
        raise ReadError("file_zip_inconsistent")


def _stored_chunks(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    left = info.compress_size
    while left > 0:
        data = handle.read(min(CHUNK, left))
        if not data:
            raise ReadError("file_zip_inconsistent")
        left -= len(data)
        yield data


def _deflated_chunks(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left = info.compress_size
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
            elif left > 0:
                data = handle.read(min(CHUNK, left))
                left -= len(data)
                if not data:
                    raise ReadError("file_zip_inconsistent")
            else:
                data = b""
            out = inflater.decompress(data, CHUNK)
            if not out and not data and not inflater.eof:  # the stream stops short
                raise ReadError("file_zip_inconsistent")
            if out:
                yield out
    except zlib.error as exc:
        raise ReadError("file_damaged", detail=short_reason(exc)) from exc


def drain(chunks: Iterator[bytes]) -> None:
    for _ in chunks:
        pass


def read_small(handle: IO[bytes], info: zipfile.ZipInfo) -> ET.Element:
    if info.file_size > _MAX_PART_BYTES:
        raise ReadError("file_damaged", detail=f"{info.filename} is {info.file_size} bytes")
    return ET.fromstring(b"".join(inflate(handle, info)))


_MAX_PART_BYTES = 64 * 1024 * 1024
