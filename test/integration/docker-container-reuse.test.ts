/**
 * Conducto's container_reuse example, five scenarios, on the real Docker daemon (the assertions are in
 * support/reuse-scenarios.ts, shared with the Podman suite).
 */
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { docker, requireDocker } from '../helpers/docker.ts';
import { containersOfRun, describeReuseScenarios } from './support/reuse-scenarios.ts';

describeReuseScenarios('Docker runtime: Conducto container_reuse scenarios', requireDocker, () => new DockerRuntimeProvider(), containersOfRun(() => docker));
