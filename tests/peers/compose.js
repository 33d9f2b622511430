// usage: node compose.js name=file.graphql ... ; prints the supergraph SDL and the API schema
const fs = require('fs');
const { composeServices } = require('@apollo/composition');
const { parse, printSchema, lexicographicSortSchema, buildASTSchema } = require('graphql');
const services = process.argv.slice(2).map(a => { const [name, file] = a.split('='); return { name, url: `http://${name}`, typeDefs: parse(fs.readFileSync(file, 'utf8')) }; });
const result = composeServices(services);
if (result.errors) { console.log(JSON.stringify({errors: result.errors.map(e => ({code: e.extensions && e.extensions.code, message: e.message}))})); process.exit(0); }
const api = result.schema.toAPISchema().toGraphQLJSSchema();
console.log(JSON.stringify({supergraph: result.supergraphSdl, api: printSchema(lexicographicSortSchema(api)), hints: (result.hints||[]).map(h => ({code: h.definition.code, message: h.message}))}));
