; Inno Setup 6.3+ script for seesay's Windows installer, from the one-folder PyInstaller build.
;
;   pyinstaller --noconfirm packaging\seesay.spec          (makes dist\seesay\seesay.exe, seesay-cli.exe)
;   iscc /DAppVersion=0.1.0 packaging\windows\seesay.iss   (makes dist\seesay-0.1.0-setup.exe)
;
; Per-user by default (no administrator rights; installs to %LOCALAPPDATA%\Programs\seesay); the
; first page lets an administrator install for all users instead. See packaging\windows\README.md.
; Not compiled on the Linux build machines: check it with iscc on Windows before a release.

; The version: keep in step with pyproject.toml, or pass /DAppVersion=... to iscc.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; The PyInstaller output, relative to this script (or pass /DDistDir=...).
#ifndef DistDir
  #define DistDir "..\..\dist\seesay"
#endif
#define AppName "seesay"
#define AppExe "seesay.exe"
; The value seesay itself writes when "Start at login" is switched on in its Settings
; (src/seesay/desktop_integration.py): HKCU\...\Run, value "seesay" = "<folder>\seesay.exe".
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"
#define RunValue "seesay"

[Setup]
; AppId identifies seesay to Windows across versions: never change it (the opening brace is
; doubled because "{" starts a constant in Inno Setup).
AppId={{0CD11E49-EEB4-40E3-BD8D-08A8E013D2AC}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=the seesay developers
AppComments=Hear what is on your screen: local image descriptions, spoken
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
; seesay.ico: the icons of src/seesay/resources/icons (16 to 256 px) in one file
SetupIconFile=seesay.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; torch makes the folder large (about 700 MB): LZMA2 solid compression gives the smallest setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; seesay may be running (tray): let the installer close it and restart it afterwards
CloseApplications=yes
RestartApplications=yes
MinVersion=10.0
; The Run value lives in HKCU on purpose (it is the app's own per-user setting), also when an
; administrator chooses the all-users install: no compile-time warning about user areas.
UsedUserAreasWarning=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "startatlogin"; Description: "Start seesay when I log in (its shortcuts then work at once)"; GroupDescription: "Starting:"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; a new version replaces the whole bundle: files of the old torch/Qt must not be left beside it
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Hear what is on your screen"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; The same value seesay's own "Start at login" setting writes, so the setting shows it as on
; and can switch it off again. In Inno Setup a doubled quote inside a quoted parameter is one ".
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "{#RunValue}"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: startatlogin

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; stop a running seesay before its files are removed (ignored when it is not running)
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM {#AppExe} /IM seesay-cli.exe"; Flags: runhidden; RunOnceId: "StopSeesay"

[UninstallDelete]
; the uninstaller leaves settings, logs and downloaded models (in %LOCALAPPDATA%\seesay) alone
Type: filesandordirs; Name: "{app}\_internal"

[Code]
// "Start at login" may have been switched on later, in seesay's Settings, rather than by the
// task above; the uninstaller then has no record of it. Remove the Run value either way, but
// only when it points into this installation.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Command: String;
begin
  if CurUninstallStep = usUninstall then
  begin
    if RegQueryStringValue(HKEY_CURRENT_USER, '{#RunKey}', '{#RunValue}', Command) then
      if Pos(Lowercase(ExpandConstant('{app}')), Lowercase(Command)) > 0 then
        RegDeleteValue(HKEY_CURRENT_USER, '{#RunKey}', '{#RunValue}');
  end;
end;
