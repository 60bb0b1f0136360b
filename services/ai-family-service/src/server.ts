// AI Family's process: config, database, migrations, the provider, listen; then the offline
// tutor's catch-up and indexing and the sweep of interrupted replies. On SIGTERM the replies in
// progress are stored as interrupted before the pool closes.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { createAiFamilyFromConfig, type AiFamily } from './app';
import { loadConfig, SERVICE, type AiFamilyConfig } from './config';

let family: AiFamily | undefined;

serve<AiFamilyConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: (deps, config) => {
    family = createAiFamilyFromConfig(deps, config);
    const { provider } = family.ctx;
    deps.logger.info(
      { provider: provider.name, model: provider.model },
      provider.name === 'offline'
        ? 'AI provider: the offline tutor (no OPENAI_API_KEY), answering from indexed lesson content'
        : 'AI provider: OpenAI-compatible chat completions',
    );
    return family.app;
  },
  onStarted: () => family?.start(),
  onClose: [() => family?.drain()],
});
