//! The WeCom callback protocol (WXBizMsgCrypt): keys, signatures, encryption and the two exchanges. No I/O.
