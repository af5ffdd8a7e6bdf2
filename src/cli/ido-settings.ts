/**
 * `download --api ido`: the job settings that have an IDO property, and the IDO-only options. The
 * other settings have none in the IDO API and are refused by name (before anything is created).
 */
import { Option, type Command } from 'commander';
import { DODownloadCostPolicy } from '../ido/enums';
import type { DODownloadSettings } from '../api/ido/manager';
import { JobPriority } from '../bits/enums';
import type { JobSettings } from './settings';
import { UsageError } from './usage';

export const IDO_COST_POLICIES = ['always', 'unrestricted', 'standard', 'no-roaming', 'no-surcharge', 'no-cellular'] as const;
const COST_VALUES: Record<(typeof IDO_COST_POLICIES)[number], DODownloadCostPolicy> = {
  always: DODownloadCostPolicy.Always, unrestricted: DODownloadCostPolicy.Unrestricted, standard: DODownloadCostPolicy.Standard,
  'no-roaming': DODownloadCostPolicy.NoRoaming, 'no-surcharge': DODownloadCostPolicy.NoSurcharge, 'no-cellular': DODownloadCostPolicy.NoCellular,
};

export interface IdoFlags {
  idoCostPolicy?: (typeof IDO_COST_POLICIES)[number];
  correlationVector?: string;
  disallowOnCellular?: boolean;
}

/** The IDO-only options of `download`. */
export function addIdoOptions(command: Command): Command {
  return command
    .addOption(new Option('--ido-cost-policy <policy>', 'with --api ido: on which networks DO may download (DODownloadCostPolicy)').choices(IDO_COST_POLICIES))
    .option('--correlation-vector <cv>', 'with --api ido: a telemetry correlation vector for the download')
    .option('--disallow-on-cellular', 'with --api ido: never download on a cellular network');
}

/** Names of the IDO-only options given, for refusing them on the other APIs. */
export function idoFlagNames(flags: IdoFlags): string[] {
  return [
    flags.idoCostPolicy !== undefined ? '--ido-cost-policy' : null,
    flags.correlationVector !== undefined ? '--correlation-vector' : null,
    flags.disallowOnCellular ? '--disallow-on-cellular' : null,
  ].filter((n): n is string => n !== null);
}

/** Settings with no IDO property, each with the option that sets it. */
const NO_IDO_PROPERTY: ReadonlyArray<readonly [keyof JobSettings, string]> = [
  ['proxy', '--proxy'], ['retryDelaySeconds', '--retry-delay'], ['maxDownloadTimeSeconds', '--max-time'], ['credentials', '--user'],
];

/** The settings as IDO properties; a UsageError names every option the IDO API has no property for. */
export function idoSettingsFrom(settings: JobSettings, flags: IdoFlags): DODownloadSettings {
  const refused = NO_IDO_PROPERTY.filter(([key]) => settings[key] !== undefined).map(([, option]) => option);
  if (settings.priority !== undefined && settings.priority !== JobPriority.Foreground && settings.priority !== JobPriority.Normal) {
    refused.push('--priority high|low (the IDO API has foreground and normal/background only)');
  }
  if (refused.length > 0) throw new UsageError(`the IDO API has no setting for ${refused.join(', ')}; leave ${refused.length > 1 ? 'them' : 'it'} out, or use the BITS-style API (the default)`);
  return {
    ...(settings.priority !== undefined ? { foreground: settings.priority === JobPriority.Foreground } : {}),
    // IDO takes the header block as one string of `Name: value\r\n` lines.
    ...(settings.headers !== undefined ? { httpCustomHeaders: settings.headers.map((h) => `${h}\r\n`).join('') } : {}),
    ...(settings.noProgressTimeoutSeconds !== undefined ? { noProgressTimeoutSeconds: settings.noProgressTimeoutSeconds } : {}),
    ...(flags.idoCostPolicy !== undefined ? { costPolicy: COST_VALUES[flags.idoCostPolicy] } : {}),
    ...(flags.correlationVector !== undefined ? { correlationVector: flags.correlationVector } : {}),
    ...(flags.disallowOnCellular ? { disallowOnCellular: true } : {}),
  };
}
