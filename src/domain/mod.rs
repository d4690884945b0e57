//! Pure types and rules of the sales office: money, 大写, validation, roles, policy.
//! No SQL, no egui, no files, no clock reads: everything here is a function of its inputs.

pub mod audit;
pub mod bid;
pub mod certificate;
pub mod changes;
pub mod clause;
pub mod company;
pub mod contract;
pub mod contract_template;
pub mod customer;
pub mod dates;
pub mod docno;
pub mod document;
pub mod ids;
pub mod inquiry;
pub mod money;
pub mod negotiation;
pub mod policy;
pub mod product;
pub mod quote;
pub mod receivable;
pub mod record;
pub mod reference;
pub mod region;
pub mod rmb;
pub mod role;
pub mod search;
pub mod timeline;
pub mod user;
pub mod validate;
pub mod visit;
