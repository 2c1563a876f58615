// Product and channel names, to find what a verbatim without ABOUT links talks about.
RETURN COLLECT { MATCH (p:Product) RETURN {id: p.id, name: p.name} } AS products,
       COLLECT { MATCH (c:Channel) RETURN {id: c.id, name: c.name} } AS channels
