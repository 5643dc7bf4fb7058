// `node --import` entry point: installs typescript-hooks.mjs for the whole process.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
