"""Importer of members: found by DNI or member code; what an office's sheet leaves out is filled.

An office's sheet may hold only DNI, names and community. A new member then gets the next code of
the cooperative's pattern (members/codes.py), gender X ("other / not stated") and no joining
date, and the report lists every value filled in. Lookups are loaded once per file.
"""

from django.utils.translation import gettext as _

from imports.importers.base import BaseImporter, Row, assign
from imports.importers.common import fold
from imports.parsing import (
    SPANISH_CHOICES,
    is_blank,
    parse_bool,
    parse_choice,
    parse_date,
    text,
)
from members.codes import MemberCodes
from members.models import MEMBER_RECORD_FIELDS, Community, District, Member
from members.validators import normalize_dni


class MemberImporter(BaseImporter):
    """Members, by DNI or member code; an unknown community is created when a district is given."""

    ROW_CONSTRAINTS = False  # DNI digits: validate_dni; certification dates: clean()

    # The member's recorded fields, as column names (community_id) for the bulk write.
    FIELDS = tuple(Member._meta.get_field(name).attname for name in MEMBER_RECORD_FIELDS)

    def run(self, rows):
        communities = {fold(c.name): c for c in Community.objects.all()}
        self.create_communities(rows, communities)
        by_dni, by_code = {}, {}
        for member in Member.objects.all():
            by_dni[member.dni] = member
            by_code[member.code] = member
        codes = MemberCodes([*by_code, *(text(row.cells.get("code")) for row in rows)])
        new, changed, seen_dni, seen_code = [], [], {}, {}
        for row in rows:
            values = self.values(row, communities)
            if row.failed:
                missing = [name for name in self.DEFAULTS if name not in values]
                self.check_failed(row, Member, values, exclude=["community", *missing])
                continue
            dni, code = values["dni"], values.get("code")
            if self.duplicate(row, "dni", seen_dni, dni) | bool(
                code and self.duplicate(row, "code", seen_code, code)
            ):
                continue
            holder_dni, holder_code = by_dni.get(dni), by_code.get(code)
            if holder_dni and holder_code and holder_dni.pk != holder_code.pk:
                self.error(
                    row,
                    "code",
                    _("Code %(code)s belongs to %(other)s, but DNI %(dni)s to %(member)s.")
                    % {"code": code, "other": holder_code, "dni": dni, "member": holder_dni},
                )
                continue
            member = holder_dni or holder_code
            action = "create" if member is None else "update"
            if member is None:
                member = Member(**self.with_defaults(row, values, codes))
            elif not assign(member, values):
                action = "unchanged"
            if action != "unchanged" and self.validate(row, member, exclude=["community"]):
                member.search_text = member.build_search_text()  # save() is bypassed by bulk
                (new if action == "create" else changed).append(member)
            self.outcome(row, action, f"{member.first_name} {member.last_name} ({member.code})")
        self.write(Member, new, changed, [*self.FIELDS, "search_text"])

    # Values an office's sheet may leave out, and what a new member gets then. An existing
    # member keeps what is recorded: a blank cell never erases a code, a gender or a date.
    DEFAULTS = ("code", "gender", "joined_on")

    def with_defaults(self, row: Row, values: dict, codes: MemberCodes) -> dict:
        values = dict(values)
        if "code" not in values:
            values["code"] = codes.next()
            self.filled(row, "code", values["code"])
        if "gender" not in values:
            values["gender"] = Member.Gender.OTHER
            self.filled(row, "gender", f"{Member.Gender.OTHER} ({Member.Gender.OTHER.label})")
        if "joined_on" not in values:
            values["joined_on"] = None
            self.filled(row, "joined_on", _("(blank)"))
        return values

    def create_communities(self, rows, communities):
        """Create each unknown community named with a district, before the members that need it."""
        new = {}
        for row in rows:
            name = text(row.cells.get("community"))
            if not name or fold(name) in communities or fold(name) in new:
                continue
            if is_blank(row.cells.get("district")):
                continue  # reported as an unknown community by values()
            district = self.cell(row, "district", parse_choice, District.choices)
            if district:
                community = Community(name=name, district=district)
                if self.validate(row, community):
                    new[fold(name)] = community
        self.write(Community, list(new.values()), [], [])
        communities.update(new)

    def values(self, row: Row, communities) -> dict:
        community_name = self.cell(row, "community")
        community = communities.get(fold(community_name)) if community_name else None
        if community_name and community is None:
            self.error(
                row,
                "community",
                _(
                    "Unknown community “%(name)s”: check the spelling, or give its district "
                    "to create it."
                )
                % {"name": community_name},
            )
        values = {
            "dni": normalize_dni(self.cell(row, "dni")),  # "12 345 678" is 12345678
            "first_name": self.cell(row, "first_name"),
            "last_name": self.cell(row, "last_name"),
            "community_id": community.pk if community else None,
        }
        given = {
            "code": (text,),
            "gender": (parse_choice, Member.Gender.choices, SPANISH_CHOICES["gender"]),
            "joined_on": (parse_date,),
        }
        for name, (parser, *args) in given.items():
            if not is_blank(row.cells.get(name)):
                values[name] = self.cell(row, name, parser, *args)
        optional = {
            "birth_date": (parse_date,),
            "phone": (text,),
            "status": (parse_choice, Member.Status.choices, SPANISH_CHOICES["status"]),
            "organic_certified": (parse_bool,),
            "organic_certified_on": (parse_date,),
            "fairtrade_certified": (parse_bool,),
            "fairtrade_certified_on": (parse_date,),
        }
        for name, (parser, *args) in optional.items():
            if row.has(name):
                values[name] = self.cell(row, name, parser, *args)
        if row.has("status") and not values["status"]:
            values["status"] = Member.Status.ACTIVE
        return values
