// ESLint for the page scripts (exercises/static, ES modules in the browser) and their Node tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules: {
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: false, skipComments: false }],
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: "error",
    },
  },
  {
    files: ["tests/js/**/*.mjs", "**/*.test.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
  { ignores: ["**/node_modules/**"] },
];
