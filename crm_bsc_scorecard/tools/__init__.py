# Pure helpers: they import nothing from odoo and are tested without a server.
