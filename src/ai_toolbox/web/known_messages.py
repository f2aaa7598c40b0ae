"""Messages raised by the services that web pages show, marked so the catalogues translate them.

The services speak English (their messages also reach the CLI and API); the web layer passes each
message through gettext before showing it, so any message listed here appears translated.
"""

from ai_toolbox.web.i18n import N_

MESSAGES = [
    N_("Wrong user name or password."),
    N_("Check both and try again."),
    N_("Sign in first."),
    N_("Your session has ended."),
    N_("Sign in again."),
    N_("The form's security token is missing or out of date."),
    N_("Reload the page and submit again."),
    N_("Not found, or it belongs to another department."),
    N_("Ask your department administrator for the right role."),
    N_("No such page or endpoint."),
    N_("That method is not allowed here."),
    N_("The password is too easy to guess."),
    N_("Use a passphrase of several words."),
    N_("Token lifetime must be a positive number of days."),
    N_("Only a system administrator can create another system administrator."),
    N_("Split the file, or ask the administrator to raise AITB_MAX_REQUEST_MB."),
    N_("Use the date picker or YYYY-MM-DD."),
    N_("Choose a file to upload."),
    N_("Use the file field, then press the button again."),
    N_("Check that you chose the right file."),
    N_("Enter some text first."),
    N_("Give the glossary a name."),
    N_("Write: English | Traditional | Simplified; leave a part empty if unknown."),
    N_("Pseudonyms are for text sent to a model and restored later, not for files."),
    N_("Use tag, mask, hash or remove for files."),
    N_("Choose another name or update the existing one."),
    N_("This looks like a binary file, not text."),
    N_("Give a .txt, .md, .docx or .xlsx file."),
    N_("This is not an Office Open XML file (DOCX/XLSX are ZIP archives)."),
    N_("Save the document as .docx or .xlsx and try again."),
    N_("The file is damaged: it is not a readable ZIP archive."),
]
