; Inno Setup script: wraps the PyInstaller one-folder build (dist\MerchantAI) into
; MerchantAI-<version>-setup.exe. Per-user install by default (no admin rights needed).
;
; VC++ runtime: onnxruntime and Qt need the Microsoft Visual C++ 2015-2022 Redistributable
; (x64). Most Windows 10/11 machines have it; when it is missing, setup says so plainly and
; offers the download page rather than failing later with a DLL error.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1C7E2A-5B8E-4F0C-9E43-2B1F6D0A7C11}
AppName=Merchant AI
AppVersion={#AppVersion}
AppPublisher=Merchant AI
DefaultDirName={autopf}\Merchant AI
DefaultGroupName=Merchant AI
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist\installer
OutputBaseFilename=MerchantAI-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
UninstallDisplayIcon={app}\MerchantAI.exe

[Files]
Source: "..\..\dist\MerchantAI\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Merchant AI"; Filename: "{app}\MerchantAI.exe"
Name: "{autodesktop}\Merchant AI"; Filename: "{app}\MerchantAI.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\MerchantAI.exe"; Description: "Open Merchant AI"; Flags: nowait postinstall skipifsilent

[Code]
function VCRuntimeInstalled(): Boolean;
var
  Installed: Cardinal;
begin
  Result := RegQueryDWordValue(HKLM64, 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64',
                               'Installed', Installed) and (Installed = 1);
end;

function InitializeSetup(): Boolean;
var
  ErrorCode: Integer;
begin
  Result := True;
  if not VCRuntimeInstalled() then
  begin
    if MsgBox('Merchant AI needs the Microsoft Visual C++ Redistributable (x64), which is not ' +
              'installed on this computer. Open the download page now? Setup will continue; ' +
              'install it before opening Merchant AI.', mbConfirmation, MB_YESNO) = IDYES then
      ShellExec('open', 'https://aka.ms/vs/17/release/vc_redist.x64.exe', '', '', SW_SHOWNORMAL,
                ewNoWait, ErrorCode);
  end;
end;
