; Inno Setup 6 script: installs the PyInstaller one-folder bundle (dist\ledgerdesk\) for the
; current user or for all users, with a Start menu shortcut and an uninstaller.
;
; Built by `python packaging\build.py` on Windows, which passes everything that has a single
; source elsewhere (name, id and version from app\__init__.py; the bundle and icon paths):
;   ISCC /DAppName=Ledgerdesk /DAppId=ledgerdesk /DAppVersion=0.1.0 /DBundleDir=...\dist\ledgerdesk
;        /DIconFile=...\build\icons\ledgerdesk.ico /DOutputDir=...\dist packaging\windows\ledgerdesk.iss
;
; The user's books are NOT installed here: Ledgerdesk keeps them in the user's AppData folder
; (platformdirs: %LOCALAPPDATA%\Ledgerdesk), which an upgrade or an uninstall leaves alone.

#ifndef AppName
  #define AppName "Ledgerdesk"
#endif
#ifndef AppId
  #define AppId "ledgerdesk"
#endif
#ifndef AppVersion
  #error Pass /DAppVersion=... (packaging\build.py does)
#endif
#ifndef BundleDir
  #error Pass /DBundleDir=<the PyInstaller folder> (packaging\build.py does)
#endif
#ifndef IconFile
  #error Pass /DIconFile=<ledgerdesk.ico> (packaging\build.py does)
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; A fixed GUID-like id: Windows recognises an upgrade by it. Never change it.
AppId={{6E1B8C2A-4D0F-4B7E-9A53-1C2D3E4F5A6B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install by default (no administrator needed); the user may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppId}.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running Ledgerdesk before replacing its files.
CloseApplications=yes
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program folder, so files a newer bundle no longer ships go.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppId}.exe"; Comment: "Customer payment journals for accountants"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppId}.exe"; Tasks: desktopicon

; ledgerdesk-cli.exe (same program, with a console) is installed beside it for support:
;   "%LOCALAPPDATA%\Programs\Ledgerdesk\ledgerdesk-cli.exe" --self-test

[Run]
Filename: "{app}\{#AppId}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; [UninstallDelete] deliberately absent: uninstalling never deletes the user's books in AppData.
