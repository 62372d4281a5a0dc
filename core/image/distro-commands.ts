/**
 * Package-manager commands per distro family (docs/conducto-semantics.md#generated-dockerfile): the one
 * update line, the install prefix, and the packages that bring pip and an ssh client. Unknown families are
 * an error before any Dockerfile is written, naming the image and the distro the probe found.
 */
import type { DistroFlavor, ProbeResult } from './contract.ts';
import { ImageSpecError } from '../errors.ts';

/** The shell fragments the generated Dockerfile uses to install packages on one distro family. */
export interface DistroCommands {
  /** Refreshes the package index (run once before installs). */
  update: string;
  /** Non-interactive install command; package names are appended. */
  install: string;
  /** Packages that give a working `python3 -m pip`. */
  pipPackages: string[];
  /** Packages `installDocker` adds after the get.docker.com script. */
  sshPackages: string[];
  /** Packages the get.docker.com script needs (curl and CA certificates). */
  curlPackages: string[];
}

/** The commands for each supported family; `distroCommands()` picks one for a probed image. */
export const DISTRO_COMMANDS: Record<DistroFlavor, DistroCommands> = {
  apt: { update: 'apt-get update', install: 'DEBIAN_FRONTEND=noninteractive apt-get install -y', pipPackages: ['python3-pip'], sshPackages: ['openssh-server'], curlPackages: ['curl', 'ca-certificates'] },
  apk: { update: 'apk update', install: 'apk add --update', pipPackages: ['python3', 'py3-pip'], sshPackages: ['openssh'], curlPackages: ['curl', 'ca-certificates'] },
  yum: { update: 'yum update -y', install: 'yum install -y', pipPackages: ['python36'], sshPackages: ['openssh-clients'], curlPackages: ['curl'] },
  dnf: { update: 'dnf update -y', install: 'dnf install -y', pipPackages: ['python38'], sshPackages: ['openssh-clients'], curlPackages: ['curl'] },
};

/** The commands for a probed image, or an ImageSpecError naming the image, the distro and why installs need it. */
export function distroCommands(image: string, probe: ProbeResult, needed: string): DistroCommands {
  if (probe.flavor) return DISTRO_COMMANDS[probe.flavor];
  const found = probe.distro.prettyName || probe.distro.id || 'no /etc/os-release';
  throw new ImageSpecError(image, `${needed}: don't know how to install packages for distro "${found}"; supported: Debian/Ubuntu (apt), Alpine (apk), CentOS/RHEL (yum), Fedora (dnf). Use such a base image, or install them in your own dockerfile`, { option: needed });
}
