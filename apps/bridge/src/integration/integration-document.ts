import type { IntegrationField, RegisteredConnector } from '#interactions';
import { CALLER_SECRET_AUTH_FIELD } from '../protection/caller-secret.js';
import type { IntegrationSettings } from './integration-settings.js';

/**
 * One `auth` field as Talkdesk's integration configuration lists it ("Submitting a New Custom Integration",
 * https://docs.talkdesk.com/docs/talkdesk-custom-integration: `field_name`, `display`, `mandatory`, `type`, `store`,
 * `help`, `format`). Every field is an `input` that Talkdesk stores (`store: true`): the bridge keeps nothing between
 * requests, so every call must carry them all.
 */
export interface AuthenticationField {
  field_name: string;
  display: string;
  mandatory: boolean;
  type: 'input';
  store: boolean;
  help: string;
  format?: string;
}

/**
 * The integration configuration Talkdesk asks for ("Configuring an Integration",
 * https://docs.talkdesk.com/docs/integration-configuration), generated from the connector's `@Connector`
 * declaration and the operator's configuration. Beside Talkdesk's fields, what the integrator needs to fill in the
 * rest of the submission: the two endpoints, the interaction types, and for `oauth2` the vendor's flow.
 */
export interface IntegrationDocument {
  name: string;
  display_name: string;
  description: string;
  logo_url?: string;
  icon_url?: string;
  authentication_type: 'custom' | 'oauth2';
  /**
   * The fields Talkdesk keeps in `auth`: those the user fills in (`custom`), what the authorization validator answers
   * (which Talkdesk stores and sends back), and the bridge's caller secret when it has one.
   */
  authentication_configuration: AuthenticationField[];
  /** Talkdesk's Interaction Retriever ("Contact Activity") endpoint: POST, answers the contact's interactions. */
  interaction_retriever_url?: string;
  /** Talkdesk's Authorization Validator endpoint: POST, 200 with the fields to store, 401 for rejected credentials. */
  authorization_validator_url?: string;
  /** The `meta.interaction_types` this connector answers. */
  interaction_types: string[];
  /** With `oauth2`: the vendor's authorization-code flow, for Talkdesk to run. */
  oauth2?: {
    authorization_url: string;
    token_url: string;
    /** Space-separated, as OAuth 2.0's `scope` parameter. */
    scope: string;
    /** What the bridge reads from the token exchange in `auth`. */
    token_fields: string[];
  };
}

/** The document, and the configuration still missing for it to be complete (the variables to set). */
export interface GeneratedIntegration {
  document: IntegrationDocument;
  missing: { field: string; variable: string }[];
}

/** The integration document of one registered connector; undefined when it declares no integration. */
export function integrationDocument(
  registered: RegisteredConnector,
  settings: IntegrationSettings,
): GeneratedIntegration | undefined {
  const declaration = registered.integration;
  if (!declaration) return undefined;
  const name = registered.name;
  const missing: GeneratedIntegration['missing'] = [];
  const configured = (field: string, variable: string, value: string | undefined) => {
    if (value === undefined) missing.push({ field, variable });
    return value;
  };
  const base = settings.publicUrl;
  if (base === undefined) {
    for (const field of ['interaction_retriever_url', 'authorization_validator_url']) {
      missing.push({ field, variable: 'BRIDGE_PUBLIC_URL' });
    }
  }
  const path = `/${encodeURIComponent(name)}`;
  const document: IntegrationDocument = {
    name,
    display_name: declaration.displayName,
    description: declaration.description,
    logo_url: configured('logo_url', 'INTEGRATION_LOGO_URL', settings.logoUrl?.replaceAll('{connector}', name)),
    icon_url: configured('icon_url', 'INTEGRATION_ICON_URL', settings.iconUrl?.replaceAll('{connector}', name)),
    authentication_type: declaration.authenticationType,
    authentication_configuration: [
      ...declaration.fields.map(authenticationField),
      ...registered.derivedAuthFields.map(({ name: field, display, help }) =>
        authenticationField({ name: field, display, help, mandatory: false }),
      ),
      ...(settings.callerSecretRequired ? [CALLER_SECRET_FIELD] : []),
    ],
    interaction_retriever_url: base && `${base}${path}/interactions`,
    authorization_validator_url: base && `${base}${path}/auth/validate`,
    interaction_types: [...registered.providers.keys()].sort(),
  };
  if (declaration.authenticationType === 'oauth2' && declaration.oauth2) {
    const { authorizeUrl, tokenUrl, scopes, tokenFields } = declaration.oauth2;
    document.oauth2 = {
      authorization_url: authorizeUrl,
      token_url: tokenUrl,
      scope: scopes.map(({ scope }) => scope).join(' '),
      token_fields: tokenFields,
    };
  }
  // Leave out what is not configured rather than send `undefined` to a JSON encoder that would drop it anyway.
  for (const key of Object.keys(document) as (keyof IntegrationDocument)[]) {
    if (document[key] === undefined) delete document[key];
  }
  return { document, missing };
}

/** The caller secret, as Talkdesk sends it (SECURITY.md, "The caller secret"). */
const CALLER_SECRET_FIELD: AuthenticationField = {
  field_name: CALLER_SECRET_AUTH_FIELD,
  display: 'Bridge caller secret',
  mandatory: true,
  type: 'input',
  store: true,
  help: "The secret the bridge's operator gives you (BRIDGE_CALLER_SECRET): the bridge answers only callers that send it.",
};

function authenticationField(field: IntegrationField): AuthenticationField {
  return {
    field_name: field.name,
    display: field.display,
    mandatory: field.mandatory,
    type: 'input',
    store: true,
    help: field.help,
    ...(field.format === undefined ? {} : { format: field.format }),
  };
}

/**
 * The same document as Markdown for Talkdesk's submission form, laid out as the example on "Submitting a New Custom
 * Integration" (a two-column table, each auth field's attributes in its cell), with the endpoints, and for `oauth2`
 * the scopes and the vendor's pages that require them. What is not configured is named, with the variable to set.
 */
export function integrationMarkdown(registered: RegisteredConnector, generated: GeneratedIntegration): string {
  const { document, missing } = generated;
  const unset = (field: string) => {
    const variable = missing.find((entry) => entry.field === field)?.variable;
    return variable ? `**not configured: set ${variable}**` : '';
  };
  const value = (field: keyof IntegrationDocument) => {
    const given = document[field];
    return given === undefined ? unset(field) : cell(String(given));
  };
  const fields = document.authentication_configuration
    .map((field) =>
      [
        `**${cell(field.field_name)}**`,
        `field_name: ${cell(field.field_name)}`,
        `display: ${cell(field.display)}`,
        `mandatory: ${field.mandatory}`,
        `type: ${field.type}`,
        `store: ${field.store}`,
        `help: ${cell(field.help)}`,
        ...(field.format === undefined ? [] : [`format: ${cell(field.format)}`]),
      ].join('<br>'),
    )
    .join('<br><br>');
  const lines = [
    `# ${cell(document.display_name)}: Talkdesk integration`,
    '',
    '## Integration Details',
    '',
    '| Field | Value |',
    '|---|---|',
    `| name | ${cell(document.name)} |`,
    `| display_name | ${cell(document.display_name)} |`,
    `| description | ${cell(document.description)} |`,
    `| logo_url | ${value('logo_url')} |`,
    `| icon_url | ${value('icon_url')} |`,
    `| authentication_type | ${document.authentication_type} |`,
    `| authentication_configuration | ${fields || '(none)'} |`,
    '',
    '## Endpoints',
    '',
    '| Feature | Method | URL |',
    '|---|---|---|',
    `| Interaction Retriever (Contact Activity) | POST | ${value('interaction_retriever_url')} |`,
    `| Authorization Validator | POST | ${value('authorization_validator_url')} |`,
    '',
    `Interaction types: ${document.interaction_types.map((type) => `\`${type}\``).join(', ')}.`,
  ];
  const oauth2 = registered.integration?.oauth2;
  if (document.oauth2 && oauth2) {
    lines.push(
      '',
      '## OAuth 2.0 (authorization code)',
      '',
      '| Field | Value |',
      '|---|---|',
      `| authorization_url | ${cell(document.oauth2.authorization_url)} |`,
      `| token_url | ${cell(document.oauth2.token_url)} |`,
      `| scope | ${cell(document.oauth2.scope)} |`,
      `| token fields read from \`auth\` | ${document.oauth2.token_fields.map(cell).join(', ')} |`,
      '',
      "The OAuth client's id and secret are the operator's, registered with the CRM: give them to Talkdesk through",
      'the form, never in this document.',
      '',
      '| Scope | Needed for | Documented at |',
      '|---|---|---|',
      ...oauth2.scopes.map(
        ({ scope, usedFor, sources }) => `| \`${scope}\` | ${cell(usedFor)} | ${sources.map(cell).join('<br>')} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Text for a Markdown table cell: pipes escaped, line breaks as <br>. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
