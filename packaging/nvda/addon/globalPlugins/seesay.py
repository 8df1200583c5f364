# seesay for NVDA: describe the navigator object with seesay, with one key.
#
# NVDA+Control+Shift+D sends the navigator object's screen rectangle, role and name to the running
# seesay (started if need be) by running:
#     seesay.exe --describe rect LEFT,TOP,WIDTH,HEIGHT --label "ROLE, NAME"
# seesay captures exactly that rectangle and says "graphic, team photo: <what it shows>" through
# NVDA. The navigator object, not the focus: in browse mode the image under the review cursor is
# not the keyboard focus. NVDA gives locations in physical screen pixels, as seesay captures.
#
# Written against NVDA's add-on API (globalPluginHandler, scriptHandler.script, api,
# controlTypes.Role.displayString); not run on the machines seesay is built on (no Windows, no NVDA).

import os
import shutil
import subprocess

import addonHandler
import api
import globalPluginHandler
import tones
import ui
from scriptHandler import script

addonHandler.initTranslation()

#: Where seesay's installer puts seesay.exe (per user, then for all users), then the PATH.
INSTALL_FOLDERS = (
	os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs", "seesay"),
	os.path.join(os.environ.get("ProgramFiles", ""), "seesay"),
)
#: A label longer than this is cut: seesay says it before the description.
LABEL_CHARS = 200
CREATE_NO_WINDOW = 0x08000000


def find_seesay():
	"""The seesay program to run, or None when seesay is not installed."""
	for folder in INSTALL_FOLDERS:
		candidate = os.path.join(folder, "seesay.exe")
		if os.path.isfile(candidate):
			return candidate
	return shutil.which("seesay")


def object_label(role, name):
	"""What seesay says first: "graphic, team photo", or just the role when there is no name."""
	name = " ".join((name or "").split())
	label = "{role}, {name}".format(role=role, name=name) if name else role
	return label[:LABEL_CHARS]


def seesay_command(program, location, role, name):
	"""The command line that asks seesay to describe ``location`` (left, top, width, height)."""
	left, top, width, height = location
	return [program, "--describe", "rect", "{0},{1},{2},{3}".format(left, top, width, height),
		"--label", object_label(role, name)]


class GlobalPlugin(globalPluginHandler.GlobalPlugin):

	@script(
		# Translators: the description of the command in NVDA's Input Gestures dialog.
		description=_("Describes the navigator object with seesay: its role and name, then what it shows"),
		# Translators: the category of seesay's commands in NVDA's Input Gestures dialog.
		category=_("seesay"),
		gesture="kb:NVDA+control+shift+d",
	)
	def script_describeNavigatorObject(self, gesture):
		obj = api.getNavigatorObject()
		location = obj.location if obj is not None else None
		if not location or location[2] <= 0 or location[3] <= 0:
			# Translators: said when the navigator object has no place on the screen to describe.
			ui.message(_("This object has no place on the screen for seesay to describe."))
			return
		program = find_seesay()
		if program is None:
			# Translators: said when seesay is not installed.
			ui.message(_("seesay is not installed, or could not be found."))
			return
		role = obj.role.displayString if obj.role is not None else ""
		try:
			subprocess.Popen(seesay_command(program, location, role, obj.name),
				creationflags=CREATE_NO_WINDOW, close_fds=True)
		except OSError as error:
			# Translators: said when seesay could not be started; {error} is the system's reason.
			ui.message(_("seesay could not be started: {error}").format(error=error))
			return
		tones.beep(660, 40)  # taken; the description follows, spoken by seesay through NVDA
