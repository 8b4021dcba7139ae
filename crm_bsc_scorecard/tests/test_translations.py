# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The translations shipped (Ukrainian, Russian, Persian): complete, with
the placeholders of the English text, and loaded by Odoo."""

import re
from pathlib import Path

from babel.messages import pofile

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import code_translations

MODULES = ("crm_bsc_scorecard", "crm_csf_planning")
# the languages of the users, and Odoo's code of each
CODES = {"uk": "uk_UA", "ru": "ru_RU", "fa": "fa_IR"}
# those shipped: a .po file of each addon
LANGUAGES = {
    base: code
    for base, code in CODES.items()
    if all(
        (Path(get_module_path(module)) / "i18n" / f"{base}.po").is_file()
        for module in MODULES
    )
}
# %s, %(name)s, %d ... and {name}
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdfr]|\{[a-z_0-9]*\}")


def _catalog(module, base):
    path = Path(get_module_path(module)) / "i18n" / f"{base}.po"
    with open(path, "rb") as po:
        return pofile.read_po(po)


def _messages(catalog):
    return [message for message in catalog if message.id]


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_message_is_translated_with_its_placeholders(self):
        self.assertTrue(LANGUAGES)
        for module in MODULES:
            with open(
                Path(get_module_path(module)) / "i18n" / f"{module}.pot", "rb"
            ) as pot:
                template = {message.id for message in _messages(pofile.read_po(pot))}
            self.assertTrue(template)
            for base in LANGUAGES:
                with self.subTest(module=module, language=base):
                    messages = _messages(_catalog(module, base))
                    self.assertEqual({message.id for message in messages}, template)
                    for message in messages:
                        self.assertTrue(message.string, message.id)
                        self.assertEqual(
                            sorted(PLACEHOLDER.findall(message.string)),
                            sorted(PLACEHOLDER.findall(message.id)),
                            message.id,
                        )

    def test_odoo_loads_the_translations(self):
        strings = {
            base: {
                message.id: message.string
                for message in _messages(_catalog("crm_bsc_scorecard", base))
            }
            for base in LANGUAGES
        }
        for base, code in LANGUAGES.items():
            with self.subTest(language=code):
                self.env["res.lang"]._activate_lang(code)
                self.env["ir.module.module"]._load_module_terms(
                    list(MODULES), [code], overwrite=True
                )
                # a field label (model terms) ...
                label = (
                    self.env["crm.bsc.indicator.value"]
                    .with_context(lang=code)
                    .fields_get(["has_value"])["has_value"]["string"]
                )
                self.assertEqual(label, strings[base]["Has Data"])
                self.assertNotEqual(label, "Has Data")
                # ... and a message of the Python code
                python = code_translations.get_python_translations(
                    "crm_bsc_scorecard", code
                )
                self.assertEqual(
                    python.get("Indicators computed"),
                    strings[base]["Indicators computed"],
                )
