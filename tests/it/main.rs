//! SalesDesk's integration tests: the use cases of the service layer, the database file under
//! faults and tampering, crash safety and the command line, each against a real SQLite file in a
//! temporary folder. One test binary for all of them (DESIGN §11: it builds once).

mod bids;
mod cli;
mod contracts;
mod corruption;
mod crash;
mod cups;
mod customers;
mod documents;
mod faults;
mod fuzz;
mod imports;
mod inquiries;
mod negotiation;
mod prices;
mod printing;
mod quotes;
mod server;
mod server_floors;
mod server_logins;
mod server_tls;
mod settings;
mod sign_in;
mod stored_values;
mod support;
mod tamper;
mod tender_checks;
mod timeline;
mod ui_archive;
mod ui_certificates;
mod ui_connection;
mod ui_contracts;
mod ui_documents;
mod ui_fit;
mod ui_flows;
mod ui_inquiries;
mod ui_negotiation;
mod ui_quotes;
mod ui_visits;
mod ui_worker;
mod upgrades;
mod users;
mod visits;
mod window;
mod work;
